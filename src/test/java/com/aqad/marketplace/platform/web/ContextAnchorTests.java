package com.aqad.marketplace.platform.web;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.util.context.Context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The innermost filter holds the request's context for the dispatcher and the handler:
 * they get the same context, and asking for it no longer walks past the filter.
 */
class ContextAnchorTests {

	@BeforeAll
	static void asTheServerRuns() {
		// the server runs with automatic context propagation (never turned off again: the
		// Spring contexts cached in this JVM run with it too)
		Hooks.enableAutomaticContextPropagation();
	}

	@Test
	void whatIsBelowSeesTheRequestsContext() {
		Mono<String> handler = Mono.deferContextual((context) -> Mono.just(context.get("requestId")));
		StepVerifier.create(ContextAnchor.anchored(handler).contextWrite(Context.of("requestId", "r-1")))
			.expectNext("r-1")
			.verifyComplete();
	}

	@Test
	void entriesWrittenAtTheAnchorReachWhatIsBelowWithTheRequestsOwn() {
		Mono<String> handler = Mono
			.deferContextual((context) -> Mono.just(context.get("requestId") + " " + context.get("caller")));
		StepVerifier
			.create(ContextAnchor.anchored(handler, Context.of("caller", "c-1"))
				.contextWrite(Context.of("requestId", "r-1")))
			.expectNext("r-1 c-1")
			.verifyComplete();
	}

	@Test
	void theRequestIdIsNeverWrittenWithoutItsThreadLocal() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ContextAnchor.anchored(Mono.empty(), Context.of(RequestId.KEY, "r-2")));
	}

	@Test
	void askingForTheContextBelowStopsAtTheAnchor() {
		// a handler that asks for its context on many signals, as the dispatcher's
		// cancellations and discard lookups do
		Mono<Long> handler = Flux.range(0, 100)
			.concatMap((i) -> Mono.deferContextual((context) -> Mono.just(context.size())))
			.count();
		CountingSubscriber below = new CountingSubscriber();
		ContextAnchor.anchored(handler).map((count) -> count).subscribe(below);
		assertThat(below.result.get()).isEqualTo(100);
		assertThat(below.asked.get()).as("context walks that reached past the anchor").isLessThanOrEqualTo(2);

		CountingSubscriber unanchored = new CountingSubscriber();
		handler.map((count) -> count).subscribe(unanchored);
		assertThat(unanchored.asked.get()).as("the same handler without the anchor").isGreaterThan(100);
	}

	@Test
	void cancellingReachesTheSource() {
		AtomicInteger cancelled = new AtomicInteger();
		Mono<Void> source = Mono.<Void>never().doOnCancel(cancelled::incrementAndGet);
		StepVerifier.create(ContextAnchor.anchored(source)).thenCancel().verify();
		assertThat(cancelled).hasValue(1);
	}

	@Test
	void errorsPassThrough() {
		StepVerifier.create(ContextAnchor.anchored(Mono.error(new IllegalStateException("boom"))))
			.verifyErrorMessage("boom");
	}

	/** counts how often the chain above asks it for the context */
	static final class CountingSubscriber extends BaseSubscriber<Long> implements CoreSubscriber<Long> {

		final AtomicInteger asked = new AtomicInteger();

		final AtomicInteger result = new AtomicInteger(-1);

		@Override
		public Context currentContext() {
			this.asked.incrementAndGet();
			return Context.of("requestId", "r-2");
		}

		@Override
		protected void hookOnNext(Long value) {
			this.result.set(value.intValue());
		}

	}

}
