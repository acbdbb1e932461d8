package com.aqad.marketplace.feed;

import java.time.Duration;

import io.github.resilience4j.ratelimiter.RateLimiter;
import org.jspecify.annotations.Nullable;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import reactor.core.publisher.Mono;

import com.aqad.marketplace.platform.web.StreamingBodies;

/**
 * The products per second all full feeds of this instance write together. Ten feeds at
 * once would otherwise take both cores of a small instance, and every catalog read would
 * wait for its share. A feed alone gets the whole budget; feeds at once share it in the
 * order they ask. A write waits (on a timer, never on an event loop) until its products
 * fit in the budget.
 */
final class FeedPace implements StreamingBodies.Pace {

	/** budget slices per second: a write waits at most about one slice too long */
	private static final int SLICES_PER_SECOND = 100;

	private final RateLimiter rows;

	private FeedPace(RateLimiter rows) {
		this.rows = rows;
	}

	/**
	 * A budget of {@code rowsPerSecond}, or {@code null} for none.
	 * @param perWrite products one write holds at most: a slice holds at least as many
	 */
	static @Nullable FeedPace of(int rowsPerSecond, int perWrite) {
		if (rowsPerSecond <= 0) {
			return null;
		}
		int slice = Math.max(perWrite, rowsPerSecond / SLICES_PER_SECOND);
		long sliceNanos = Math.max(1, Duration.ofSeconds(1).toNanos() * slice / rowsPerSecond);
		return new FeedPace(RateLimiter.of("feed-rows",
				RateLimiterConfig.custom()
					.limitForPeriod(slice)
					.limitRefreshPeriod(Duration.ofNanos(sliceNanos))
					// a reservation is never refused: each feed waits its turn
					.timeoutDuration(Duration.ofDays(1))
					.build()));
	}

	@Override
	public Mono<Void> before(int records) {
		long wait = this.rows.reservePermission(records);
		return (wait <= 0) ? Mono.empty() : Mono.delay(Duration.ofNanos(wait)).then();
	}

}
