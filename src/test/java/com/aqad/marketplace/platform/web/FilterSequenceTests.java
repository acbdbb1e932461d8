package com.aqad.marketplace.platform.web;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import com.aqad.marketplace.platform.web.FilterSequence.Sequence;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application's filters run as one, in their order, each when its part is subscribed.
 */
class FilterSequenceTests {

	private final ServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/x"));

	@Test
	void everyFilterRunsOnceInOrderThenTheHandler() {
		List<String> ran = new ArrayList<>();
		Sequence sequence = new Sequence(List.of(named("a", ran), named("b", ran), named("c", ran)));
		StepVerifier.create(sequence.filter(this.exchange, (exchange) -> Mono.fromRunnable(() -> ran.add("handler"))))
			.verifyComplete();
		assertThat(ran).containsExactly("a", "b", "c", "handler");
	}

	@Test
	void aFilterThatAnswersStopsTheRest() {
		List<String> ran = new ArrayList<>();
		WebFilter refusing = (exchange, chain) -> Mono.fromRunnable(() -> ran.add("refused"));
		Sequence sequence = new Sequence(List.of(named("a", ran), refusing, named("c", ran)));
		StepVerifier.create(sequence.filter(this.exchange, (exchange) -> Mono.fromRunnable(() -> ran.add("handler"))))
			.verifyComplete();
		assertThat(ran).containsExactly("a", "refused");
	}

	@Test
	void aFilterRunsOnlyWhenSubscribed() {
		List<String> ran = new ArrayList<>();
		Mono<Void> assembled = new Sequence(List.of(named("a", ran))).filter(this.exchange, (exchange) -> Mono.empty());
		assertThat(ran).isEmpty();
		StepVerifier.create(assembled).verifyComplete();
		assertThat(ran).containsExactly("a");
	}

	@Test
	void theBuilderKeepsOneFilterHoldingAllInOrder() {
		WebFilter a = (exchange, chain) -> chain.filter(exchange);
		WebFilter b = (exchange, chain) -> chain.filter(exchange);
		WebHttpHandlerBuilder builder = WebHttpHandlerBuilder.webHandler((exchange) -> Mono.empty()).filter(a, b);
		new FilterSequence().customize(builder);
		List<WebFilter> left = new ArrayList<>();
		builder.filters(left::addAll);
		assertThat(left).singleElement().isInstanceOf(Sequence.class);
		assertThat(((Sequence) left.get(0)).filters()).containsExactly(a, b);
	}

	private static WebFilter named(String name, List<String> ran) {
		return (exchange, chain) -> {
			ran.add(name);
			return chain.filter(exchange);
		};
	}

}
