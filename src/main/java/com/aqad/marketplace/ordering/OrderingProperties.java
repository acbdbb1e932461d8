package com.aqad.marketplace.ordering;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code aqad.ordering.*}.
 *
 * @param idempotencyTtl how long an Idempotency-Key and its answer are kept
 * @param idempotencyLease how long a running request holds its key; after that a retry
 * may take it over (the first request must have died: no request runs this long)
 * @param soldOutHint how long a product seen sold out is refused without asking the
 * database (restocks and cancellations through the API end it at once)
 * @param defaultPageSize orders per page when {@code limit} is not given
 * @param maxPageSize the largest {@code limit}
 * @param exportFetchSize rows per PostgreSQL round trip of an export
 * @param maxBatch the most single-line orders for one product placed by one statement
 * @param events the order event stream
 */
@Validated
@ConfigurationProperties("aqad.ordering")
record OrderingProperties(@NotNull Duration idempotencyTtl, @NotNull Duration idempotencyLease,
		@NotNull Duration soldOutHint, @Min(1) @Max(100) int defaultPageSize, @Min(1) @Max(100) int maxPageSize,
		@Min(1) @Max(100_000) int exportFetchSize, @Min(1) @Max(1_000) int maxBatch, @Valid @NotNull Events events) {

	/**
	 * @param pollInterval how often each instance reads the outbox when nothing woke it
	 * @param pageSize outbox rows per read
	 * @param readerBuffer live events a reader may leave unread before it is disconnected
	 * @param heartbeat how often an idle stream sends a comment
	 * @param retention how long events are kept for resuming readers
	 */
	record Events(@NotNull Duration pollInterval, @Min(1) @Max(10_000) int pageSize,
			@Min(16) @Max(1_000_000) int readerBuffer, @NotNull Duration heartbeat, @NotNull Duration retention) {
	}

}
