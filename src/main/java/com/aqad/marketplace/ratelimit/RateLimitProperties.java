package com.aqad.marketplace.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code aqad.ratelimit.*}: the policies and how the limiter behaves when Redis does not
 * answer.
 *
 * @param enabled whether requests are limited at all (benchmarks compare both)
 * @param instances how many instances share the limits; while Redis is unreachable each
 * enforces every bucket at its capacity divided by this
 * @param instanceRequestsPerSecond what one instance accepts per second in total, over
 * all clients, before it answers 503 {@code busy}
 * @param trustedProxies CIDRs of the proxies whose {@code X-Forwarded-For} and
 * {@code Forwarded} headers are believed; empty: only the socket's peer counts
 * @param redisTimeout how long a request waits for Redis before its local buckets decide
 * @param breakerOpenFor how long the limiter stays on its local buckets after Redis kept
 * failing, before it tries Redis again
 * @param shadow every policy in shadow mode: count and log refusals, refuse nothing
 * @param shadowTiers account tiers whose requests are counted and logged but never
 * refused (load tests against a shared environment, with accounts an administrator made)
 * @param scriptsInFlight script calls to Redis in flight at once; takes that arrive
 * meanwhile queue and go together in the next call (see {@code RedisBuckets})
 * @param policies the policies by name, checked in this order
 */
@Validated
@ConfigurationProperties("aqad.ratelimit")
record RateLimitProperties(@DefaultValue("true") boolean enabled, @DefaultValue("1") @Min(1) @Max(1000) int instances,
		@DefaultValue("100000") @Min(1) int instanceRequestsPerSecond, @DefaultValue List<String> trustedProxies,
		@DefaultValue("500ms") @NotNull Duration redisTimeout, @DefaultValue("2s") @NotNull Duration breakerOpenFor,
		@DefaultValue("false") boolean shadow, @DefaultValue("loadtest") Set<String> shadowTiers,
		@DefaultValue("1") @Min(1) @Max(64) int scriptsInFlight, @DefaultValue Map<String, @Valid Policy> policies) {

	/**
	 * One policy: which requests it applies to, what it counts them by, and its buckets.
	 *
	 * @param paths path patterns ({@code /api/v1/products/**}); any of them matches
	 * @param methods HTTP methods it applies to; empty: all
	 * @param key what requests are counted by
	 * @param cost tokens a request takes from each bucket
	 * @param freeStatuses response statuses whose tokens are given back (a 304 costs
	 * nothing)
	 * @param buckets the buckets every request must find tokens in, by name
	 * @param tiers buckets that replace {@code buckets} for accounts of that tier
	 * @param shadow count and log refusals, refuse nothing
	 */
	record Policy(@NotEmpty List<String> paths, @DefaultValue Set<String> methods, @NotNull Key key,
			@DefaultValue("1") @Min(1) int cost, @DefaultValue("304") Set<Integer> freeStatuses,
			@NotEmpty Map<String, @Valid Bucket> buckets, @DefaultValue Map<String, Map<String, @Valid Bucket>> tiers,
			@DefaultValue("false") boolean shadow) {

	}

	/**
	 * A token bucket: holds {@code capacity} tokens and refills them evenly over
	 * {@code period}.
	 */
	record Bucket(@Min(1) long capacity, @NotNull Duration period) {

	}

	/**
	 * What a policy counts requests by.
	 */
	enum Key {

		/** the client's address; anonymous requests only */
		IP,

		/** the {@code email} of a login body; anonymous requests only */
		EMAIL,

		/** the account, however it authenticated */
		ACCOUNT,

		/** the API key when one was used, the account otherwise */
		API_KEY;

		boolean anonymous() {
			return this == IP || this == EMAIL;
		}

	}

}
