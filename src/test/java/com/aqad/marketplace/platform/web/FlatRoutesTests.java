package com.aqad.marketplace.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.http.codec.HttpMessageReader;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.PathContainer;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Flat routes answer as Spring's nested composition does: the first route that matches,
 * in order, with its path variables; a route that decides later is waited for and the
 * rest asked only when it finds nothing; visitors see every route.
 */
class FlatRoutesTests {

	private static final List<HttpMessageReader<?>> READERS = ServerCodecConfigurer.create().getReaders();

	private final HandlerFunction<ServerResponse> one = (request) -> ServerResponse.ok().build();

	private final HandlerFunction<ServerResponse> two = (request) -> ServerResponse.ok().build();

	private final HandlerFunction<ServerResponse> three = (request) -> ServerResponse.ok().build();

	@Test
	void theFirstRouteThatMatchesAnswersWithItsPathVariables() {
		RouterFunction<ServerResponse> routes = FlatRoutes.of(
				RouterFunctions.route(RequestPredicates.GET("/items/{id}"), this.one),
				RouterFunctions.route(RequestPredicates.GET("/items/{key}"), this.two),
				RouterFunctions.route(RequestPredicates.GET("/items"), this.three));
		ServerRequest item = request("/items/42");
		StepVerifier.create(routes.route(item)).expectNext(this.one).verifyComplete();
		assertThat(item.pathVariables()).containsEntry("id", "42").doesNotContainKey("key");
		StepVerifier.create(routes.route(request("/items"))).expectNext(this.three).verifyComplete();
		StepVerifier.create(routes.route(request("/other"))).verifyComplete();
	}

	@Test
	void aRouteThatDecidesLaterIsWaitedForAndTheRestAskedOnlyWhenItFindsNothing() {
		List<String> asked = new ArrayList<>();
		RouterFunction<ServerResponse> later = (request) -> Mono.defer(() -> {
			asked.add("later");
			return request.path().equals("/later") ? Mono.just(this.one) : Mono.empty();
		});
		RouterFunction<ServerResponse> routes = FlatRoutes.of(later,
				RouterFunctions.route(counted(RequestPredicates.path("/**"), asked), this.two));
		StepVerifier.create(routes.route(request("/later"))).expectNext(this.one).verifyComplete();
		assertThat(asked).containsExactly("later");
		asked.clear();
		StepVerifier.create(routes.route(request("/else"))).expectNext(this.two).verifyComplete();
		assertThat(asked).containsExactly("later", "rest");
	}

	@Test
	void everyRouteIsVisitedNestedOnesToo() {
		RouteTemplates templates = RouteTemplates
			.of(List.of(FlatRoutes.of(RouterFunctions.route(RequestPredicates.GET("/items/{id}"), this.one),
					RouterFunctions.nest(RequestPredicates.path("/nested"),
							RouterFunctions.route(RequestPredicates.GET("/{name}"), this.two)))));
		assertThat(templates.templateOf(PathContainer.parsePath("/items/7"))).isEqualTo("/items/{id}");
		assertThat(templates.templateOf(PathContainer.parsePath("/nested/x"))).isEqualTo("/nested/{name}");
	}

	private static RequestPredicate counted(RequestPredicate predicate, List<String> asked) {
		return (request) -> {
			asked.add("rest");
			return predicate.test(request);
		};
	}

	private static ServerRequest request(String path) {
		return ServerRequest.create(MockServerWebExchange.from(MockServerHttpRequest.get(path)), READERS);
	}

}
