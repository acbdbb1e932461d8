package com.aqad.marketplace.ratelimit;

import java.time.Duration;
import java.util.List;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import com.aqad.marketplace.identity.SecurityEvents;
import com.aqad.marketplace.platform.web.WebProperties;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.server.WebFilter;

/**
 * Rate limiting's parts: the policies, the shared and local buckets, the circuit breaker
 * around Redis, the instance's total cap, and the two filters.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RateLimitProperties.class)
class RateLimitConfiguration {

	private static final Logger log = LoggerFactory.getLogger(RateLimitConfiguration.class);

	/** subjects (addresses, accounts) the local fallback buckets remember at most */
	private static final long LOCAL_SUBJECTS = 200_000;

	@Bean
	RateLimiterRegistry rateLimiterRegistry(RateLimitProperties properties, MeterRegistry meters) {
		RateLimiterRegistry registry = RateLimiterRegistry.of(RateLimiterConfig.custom()
			.limitForPeriod(properties.instanceRequestsPerSecond())
			.limitRefreshPeriod(Duration.ofSeconds(1))
			.timeoutDuration(Duration.ZERO)
			.build());
		TaggedRateLimiterMetrics.ofRateLimiterRegistry(registry).bindTo(meters);
		return registry;
	}

	@Bean
	CircuitBreakerRegistry circuitBreakerRegistry(RateLimitProperties properties, MeterRegistry meters) {
		CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(20)
			.minimumNumberOfCalls(10)
			.failureRateThreshold(50)
			.waitDurationInOpenState(properties.breakerOpenFor())
			.permittedNumberOfCallsInHalfOpenState(5)
			.automaticTransitionFromOpenToHalfOpenEnabled(false)
			// refused calls are every request's path while Redis is down: no stack traces
			.writableStackTraceEnabled(false)
			.build());
		TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
		return registry;
	}

	@Bean
	Policies rateLimitPolicies(RateLimitProperties properties) {
		List<RateLimitPolicy> policies = RateLimitPolicy.of(properties);
		if (!properties.enabled()) {
			log.warn("Rate limiting is OFF (aqad.ratelimit.enabled=false): only the instance cap applies");
			return new Policies(List.of());
		}
		log.info("Rate limit policies: {}{}", policies, properties.shadow() ? " (all in shadow mode)" : "");
		return new Policies(policies);
	}

	@Bean
	Limits rateLimits(RedisBuckets shared, RateLimitProperties properties, CircuitBreakerRegistry breakers,
			MeterRegistry meters, SecurityEvents events) {
		return new Limits(shared, new LocalBuckets(properties.instances(), LOCAL_SUBJECTS),
				breakers.circuitBreaker(RedisBuckets.BREAKER), properties.redisTimeout(), meters, events);
	}

	@Bean
	WebFilter anonymousLimits(RateLimiterRegistry rateLimiters, Policies rateLimitPolicies,
			RateLimitProperties properties, Limits limits, JsonMapper json, WebProperties web) {
		return new AnonymousLimits(rateLimiters.rateLimiter("instance"), rateLimitPolicies.all(),
				new ClientAddress(properties.trustedProxies()),
				new LoginEmail(json, (int) Math.min(Integer.MAX_VALUE, web.maxBodySize().toBytes())),
				new RequestLimits(limits));
	}

	@Bean
	WebFilter callerLimits(Policies rateLimitPolicies, Limits limits, RateLimitProperties properties) {
		return new CallerLimits(rateLimitPolicies.all(), new RequestLimits(limits), properties.shadowTiers());
	}

	/**
	 * The policies in force, in their configured order.
	 */
	record Policies(List<RateLimitPolicy> all) {

	}

}
