package com.aqad.marketplace.feed;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code aqad.feed.*}: how feeds read PostgreSQL and write to partners.
 *
 * @param fetchSize rows PostgreSQL sends per round trip of a full feed: what one feed
 * holds in memory at most, besides what the socket holds
 * @param linesPerWrite products per network write
 * @param maxConcurrent full feeds one instance streams at once (each holds a database
 * connection while it runs); more are answered 503
 * @param budget products per second all full feeds of one instance write together
 * @param changes the change stream
 */
@Validated
@ConfigurationProperties("aqad.feed")
record FeedProperties(@Min(1) @Max(100_000) int fetchSize, @Min(1) @Max(10_000) int linesPerWrite,
		@Min(1) @Max(1_000) int maxConcurrent, @Valid @NotNull Budget budget, @Valid @NotNull Changes changes) {

	/**
	 * @param rowsPerSecond while the instance is otherwise quiet (0: no budget at all)
	 * @param busyRowsPerSecond while it is asked for more than
	 * {@code busyAboveRequestsPerSecond} requests per second: feeds yield to interactive
	 * traffic
	 * @param busyAboveRequestsPerSecond the request rate above which the instance is busy
	 */
	record Budget(@Min(0) int rowsPerSecond, @Min(100) int busyRowsPerSecond, @Min(0) long busyAboveRequestsPerSecond) {
	}

	/**
	 * @param pollInterval how often each instance reads the outbox when nothing woke it
	 * @param pageSize outbox rows per read
	 * @param readerBuffer live events a reader may leave unread before it is disconnected
	 * (it then resumes from the outbox)
	 * @param heartbeat how often an idle stream sends a comment, so that proxies keep it
	 * @param retention how long change events are kept for resuming readers
	 */
	record Changes(@NotNull Duration pollInterval, @Min(1) @Max(10_000) int pageSize,
			@Min(16) @Max(1_000_000) int readerBuffer, @NotNull Duration heartbeat, @NotNull Duration retention) {
	}

}
