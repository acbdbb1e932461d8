package com.aqad.marketplace;

import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * BlockHound is installed for every test: a blocking call on a non-blocking thread fails.
 */
class BlockHoundTests {

	@Test
	void blockingOnANonBlockingThreadFails() {
		Mono<Object> parks = Mono.fromRunnable(() -> LockSupport.parkNanos(1_000)).subscribeOn(Schedulers.parallel());
		StepVerifier.create(parks).expectError(BlockingOperationError.class).verify();
	}

}
