package com.aqad.marketplace.feed;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import com.aqad.marketplace.platform.web.StreamingBodies;

/**
 * The products per second all full feeds of this instance write together, so that feeds
 * yield to interactive traffic. Ten feeds at once would otherwise take both cores of a
 * small instance, and every catalog read would wait for its share (measured on two cores:
 * catalog p99 2.6× idle with feeds at 250,000 products/s, 1.2× at 100,000). While the
 * instance is otherwise quiet, feeds get the quiet budget (a partner's lone full feed at
 * full speed); while it is asked for more than a threshold of requests per second, the
 * busy one. Feeds share the budget in the order they ask; a write waits (on a timer,
 * never on an event loop) until its products fit.
 */
final class FeedPace implements StreamingBodies.Pace {

	/** budget slices per second: a write waits at most about one slice too long */
	private static final int SLICES_PER_SECOND = 100;

	/** how often the instance's request rate is looked at */
	private static final long LOOK_EVERY_NANOS = Duration.ofMillis(20).toNanos();

	/** how long the instance must stay quiet before feeds get the quiet budget back */
	private static final long QUIET_AFTER_NANOS = Duration.ofSeconds(1).toNanos();

	private final RateLimiter rows;

	private final int quietSlice;

	private final int busySlice;

	private final long busyRequestsPerSecond;

	private final LongSupplier requests;

	private final LongSupplier clock;

	/** when the request rate was last looked at, and the count then */
	private final AtomicLong lookedAt;

	private volatile long requestsThen;

	private volatile boolean busy;

	/** when the request rate was last above the threshold */
	private volatile long busyAt;

	private FeedPace(FeedProperties.Budget budget, LongSupplier requests, LongSupplier clock) {
		this.quietSlice = slice(budget.rowsPerSecond());
		this.busySlice = slice(budget.busyRowsPerSecond());
		this.busyRequestsPerSecond = budget.busyAboveRequestsPerSecond();
		this.requests = requests;
		this.clock = clock;
		this.rows = new AtomicRateLimiter("feed-rows",
				RateLimiterConfig.custom()
					.limitForPeriod(this.quietSlice)
					.limitRefreshPeriod(Duration.ofSeconds(1).dividedBy(SLICES_PER_SECOND))
					// a reservation is never refused: each feed waits its turn
					.timeoutDuration(Duration.ofDays(1))
					.build(),
				Map.of(), clock::getAsLong);
		this.lookedAt = new AtomicLong(clock.getAsLong());
		this.requestsThen = requests.getAsLong();
	}

	/**
	 * The budget, or {@code null} for none.
	 * @param requests the requests this instance has been asked so far
	 */
	static @Nullable FeedPace of(FeedProperties.Budget budget, LongSupplier requests) {
		return of(budget, requests, System::nanoTime);
	}

	static @Nullable FeedPace of(FeedProperties.Budget budget, LongSupplier requests, LongSupplier clock) {
		return (budget.rowsPerSecond() > 0) ? new FeedPace(budget, requests, clock) : null;
	}

	private static int slice(int rowsPerSecond) {
		return Math.max(1, rowsPerSecond / SLICES_PER_SECOND);
	}

	@Override
	public Mono<Void> before(int records) {
		long wait = reserve(records);
		return (wait <= 0) ? Mono.empty() : Mono.delay(Duration.ofNanos(wait)).then();
	}

	/** reserves room for the records: how long to wait for it, in nanoseconds */
	long reserve(int records) {
		lookAtTheRequestRate();
		return this.rows.reservePermission(records);
	}

	/** whether feeds get the busy budget now */
	boolean busy() {
		return this.busy;
	}

	private void lookAtTheRequestRate() {
		long now = this.clock.getAsLong();
		long then = this.lookedAt.get();
		if (now - then < LOOK_EVERY_NANOS || !this.lookedAt.compareAndSet(then, now)) {
			return;
		}
		long count = this.requests.getAsLong();
		long perSecond = (count - this.requestsThen) * Duration.ofSeconds(1).toNanos() / (now - then);
		this.requestsThen = count;
		if (perSecond > this.busyRequestsPerSecond) {
			this.busyAt = now;
		}
		// busy at once; quiet again only after a second without traffic
		boolean busy = perSecond > this.busyRequestsPerSecond || (this.busy && now - this.busyAt < QUIET_AFTER_NANOS);
		if (busy != this.busy) {
			this.busy = busy;
			this.rows.changeLimitForPeriod(busy ? this.busySlice : this.quietSlice);
		}
	}

}
