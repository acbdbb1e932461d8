package com.aqad.marketplace.platform.cache;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class SingleFlightTests {

	private final SingleFlight<String, String> flights = new SingleFlight<>();

	@Test
	void concurrentCallersOfOneKeyShareOneLoad() {
		AtomicInteger loads = new AtomicInteger();
		Sinks.One<String> database = Sinks.one();
		Flux<String> callers = Flux.range(0, 100).flatMap((n) -> this.flights.load("hot", () -> {
			loads.incrementAndGet();
			return database.asMono();
		}));
		StepVerifier.create(callers)
			.then(() -> assertThat(loads).hasValue(1))
			.then(() -> database.tryEmitValue("row"))
			.expectNextCount(100)
			.verifyComplete();
		assertThat(loads).hasValue(1);
		assertThat(this.flights.inFlight()).isZero();
	}

	@Test
	void aKeyIsLoadedAgainOnceItsFlightHasLanded() {
		AtomicInteger loads = new AtomicInteger();
		Mono<String> load = this.flights.load("key", () -> Mono.fromSupplier(() -> "v" + loads.incrementAndGet()));
		StepVerifier.create(load).expectNext("v1").verifyComplete();
		StepVerifier.create(load).expectNext("v2").verifyComplete();
	}

	@Test
	void differentKeysLoadIndependently() {
		AtomicInteger loads = new AtomicInteger();
		Flux<String> both = Flux.just("a", "b")
			.flatMap((key) -> this.flights.load(key,
					() -> Mono.delay(Duration.ofMillis(5)).map((tick) -> key + loads.incrementAndGet())));
		StepVerifier.create(both).expectNextCount(2).verifyComplete();
		assertThat(loads).hasValue(2);
	}

	@Test
	void aFailedLoadReachesEveryWaiterAndIsNotCached() {
		Sinks.One<String> database = Sinks.one();
		Flux<String> callers = Flux.range(0, 10)
			.flatMap((n) -> this.flights.load("key", database::asMono)
				.onErrorResume((failure) -> Mono.just("failed: " + failure.getMessage())));
		StepVerifier.create(callers)
			.then(() -> database.tryEmitError(new IllegalStateException("database down")))
			.expectNextSequence(java.util.Collections.nCopies(10, "failed: database down"))
			.verifyComplete();
		StepVerifier.create(this.flights.load("key", () -> Mono.just("recovered")))
			.expectNext("recovered")
			.verifyComplete();
	}

}
