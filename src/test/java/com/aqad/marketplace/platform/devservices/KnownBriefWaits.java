package com.aqad.marketplace.platform.devservices;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Waits inside libraries that BlockHound reports but that are bounded and internal:
 * Lettuce makes a command write wait while its endpoint briefly holds an exclusive lock
 * for a (re)connect or a flush; Jackson makes a thread wait while another builds the
 * deserializer of the same type for the first time; Resilience4j's rate limiter backs off
 * for a nanosecond under contention; Netty's allocator locks a buffer magazine while it
 * grows. Every other blocking call on a non-blocking thread fails the test.
 */
public class KnownBriefWaits implements BlockHoundIntegration {

	@Override
	public void applyTo(BlockHound.Builder builder) {
		builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "incrementWriters");
		// Jackson builds a type's deserializer once, under a lock that a second thread
		// wanting the same type at that moment waits for
		builder.allowBlockingCallsInside("tools.jackson.databind.deser.DeserializerCache",
				"_createAndCacheValueDeserializer");
		// Resilience4j's lock-free rate limiter parks for one nanosecond between two
		// compare-and-set attempts when threads contend for a permit
		builder.allowBlockingCallsInside("io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter",
				"updateStateWithBackOff");
		// Netty 4.2's adaptive buffer allocator takes a magazine's lock while it adds
		// magazines under contention
		builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup",
				"tryExpandMagazines");
		// Resilience4j's circuit breaker records each call's outcome in its sliding
		// window
		// under a lock held for a few array writes
		builder.allowBlockingCallsInside("io.github.resilience4j.core.metrics.FixedSizeSlidingWindowMetrics", "record");
		// Spring Data Redis reads a script's SHA-1 under a lock (computed once)
		builder.allowBlockingCallsInside("org.springframework.data.redis.core.script.DefaultRedisScript", "getSha1");
		// Spring Data Redis hands out its shared connection under a lock on every
		// command;
		// the connection itself is opened off the event loop first (RedisAvailability)
		builder.allowBlockingCallsInside("org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory",
				"getOrCreateSharedReactiveConnection");
	}

}
