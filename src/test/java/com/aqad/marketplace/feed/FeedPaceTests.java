package com.aqad.marketplace.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * The budget all full feeds of an instance share, on a clock of the test's.
 */
class FeedPaceTests {

	/** 1,000 products per second when quiet, 100 when busy (above 200 requests/s) */
	private static final FeedProperties.Budget BUDGET = new FeedProperties.Budget(1_000, 100, 200);

	private final AtomicLong clock = new AtomicLong(1_000_000_000L);

	private final AtomicLong requests = new AtomicLong();

	private final FeedPace pace = FeedPace.of(BUDGET, this.requests::get, this.clock::get);

	@Test
	void writesWithinASliceOfTheBudgetGoAtOnceAndTheNextWaits() {
		// 10 ms slices: 10 products each
		assertThat(this.pace.reserve(6)).isZero();
		assertThat(this.pace.reserve(4)).isZero();
		assertThat(this.pace.reserve(10)).isEqualTo(Duration.ofMillis(10).toNanos());
		// feeds take their turns: the next one waits behind the one already waiting
		assertThat(this.pace.reserve(10)).isEqualTo(Duration.ofMillis(20).toNanos());
	}

	@Test
	void feedsYieldWhileTheInstanceIsBusyAndGetTheirBudgetBackWhenItIsQuiet() {
		assertThat(this.pace.busy()).isFalse();
		this.clock.addAndGet(Duration.ofMillis(100).toNanos());
		this.requests.addAndGet(50); // 500 requests per second
		this.pace.reserve(1);
		assertThat(this.pace.busy()).isTrue();
		// a slice of the busy budget holds one product: ten wait nine slices
		this.clock.addAndGet(Duration.ofMillis(10).toNanos());
		assertThat(this.pace.reserve(10)).isGreaterThanOrEqualTo(Duration.ofMillis(80).toNanos());

		// a quiet moment is not yet a quiet instance
		this.clock.addAndGet(Duration.ofMillis(200).toNanos());
		this.pace.reserve(1);
		assertThat(this.pace.busy()).isTrue();

		this.clock.addAndGet(Duration.ofSeconds(1).toNanos());
		this.requests.addAndGet(10); // 10 requests in the last second
		this.pace.reserve(1);
		assertThat(this.pace.busy()).isFalse();
		this.clock.addAndGet(Duration.ofMillis(10).toNanos());
		assertThat(this.pace.reserve(10)).isZero();
	}

	@Test
	void aWriteThatMustWaitCompletesWhenItsTurnComes() {
		this.pace.reserve(10);
		StepVerifier.withVirtualTime(() -> this.pace.before(10))
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(9))
			.thenAwait(Duration.ofMillis(1))
			.verifyComplete();
	}

	@Test
	void noBudgetIsNoPace() {
		assertThat(FeedPace.of(new FeedProperties.Budget(0, 100, 200), this.requests::get)).isNull();
	}

}
