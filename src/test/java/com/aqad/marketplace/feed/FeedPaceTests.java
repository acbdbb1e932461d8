package com.aqad.marketplace.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * The budget all full feeds of an instance share (virtual time for the waits; the budget
 * itself counts on the real clock, in slices of one second here).
 */
class FeedPaceTests {

	@Test
	void writesWithinTheBudgetGoAtOnceAndTheNextWaitsForTheNextSlice() {
		FeedPace pace = FeedPace.of(100, 100);

		StepVerifier.withVirtualTime(() -> pace.before(60).then(pace.before(40)).then(pace.before(100)))
			.expectSubscription()
			// the first hundred fit this second's slice; the next hundred wait for the
			// next one
			.expectNoEvent(Duration.ofMillis(500))
			.thenAwait(Duration.ofSeconds(1))
			.verifyComplete();
	}

	@Test
	void writesWithinTheBudgetDoNotWait() {
		FeedPace pace = FeedPace.of(100, 100);

		StepVerifier.withVirtualTime(() -> pace.before(60).then(pace.before(40)))
			.expectComplete()
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void noBudgetIsNoPace() {
		assertThat(FeedPace.of(0, 128)).isNull();
	}

}
