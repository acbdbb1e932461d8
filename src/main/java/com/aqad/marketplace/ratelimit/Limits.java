package com.aqad.marketplace.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.aqad.marketplace.identity.SecurityEvents;

/**
 * Asks the buckets whether a request may pass: the shared ones in Redis, one script per
 * subject, or, when Redis is slow, down or its circuit breaker open, the instance's own.
 * Counts every decision per policy and logs each refusal once per subject and bucket
 * window.
 */
class Limits {

	private static final Logger log = LoggerFactory.getLogger(Limits.class);

	private final RedisBuckets shared;

	private final LocalBuckets local;

	private final Duration redisTimeout;

	private final MeterRegistry meters;

	private final SecurityEvents events;

	/** outcomes counted per policy, worst last */
	private static final String[] OUTCOMES = { "allowed", "shadow_refused", "refused" };

	private static final int ALLOWED = 0;

	private static final int SHADOW_REFUSED = 1;

	private static final int REFUSED = 2;

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	private final Map<RateLimitPolicy, Counter[]> outcomes = new ConcurrentHashMap<>();

	private final Cache<String, Duration> logged = Caffeine.newBuilder()
		.maximumSize(100_000)
		.executor(Runnable::run)
		.expireAfter(Expiry.<String, Duration>creating((key, window) -> window))
		.build();

	Limits(RedisBuckets shared, LocalBuckets local, CircuitBreaker breaker, Duration redisTimeout, MeterRegistry meters,
			SecurityEvents events) {
		this.shared = shared;
		this.local = local;
		this.redisTimeout = redisTimeout;
		this.meters = meters;
		this.events = events;
		// present from the start, so that dashboards and alerts see zeros rather than
		// nothing
		for (String reason : new String[] { "breaker_open", "timeout", "redis_error" }) {
			counter("aqad.ratelimit.fallbacks", "reason", reason);
		}
		breaker.getEventPublisher().onStateTransition((event) -> {
			CircuitBreaker.State from = event.getStateTransition().getFromState();
			CircuitBreaker.State to = event.getStateTransition().getToState();
			if (from == CircuitBreaker.State.CLOSED && to == CircuitBreaker.State.OPEN) {
				log.warn("Redis is failing the rate limiter ({}): limiting with this instance's own buckets for now",
						event.getStateTransition());
			}
			else if (to == CircuitBreaker.State.CLOSED) {
				local.clear();
				log.info("Redis answers the rate limiter again: limits are shared and exact");
			}
		});
	}

	/**
	 * Takes the charges' tokens for a waiter, which is told the verdict (never a failure
	 * of Redis: the instance's own buckets decide then) and should {@link #record} it: on
	 * the given event loop (the request's) when Redis answered, on any thread when it did
	 * not. Subjects are asked one after the other (a login: its address, then its email),
	 * so that a subject refused first costs the next nothing; the verdict names every
	 * bucket asked.
	 */
	void take(List<Charge> charges, EventExecutor loop, Waiter waiter) {
		if (charges.isEmpty()) {
			waiter.verdict(Verdict.NONE);
			return;
		}
		take(List.copyOf(bySubject(charges).values()), 0, Verdict.NONE, loop, waiter);
	}

	private void take(List<List<Charge>> subjects, int index, Verdict before, EventExecutor loop, Waiter waiter) {
		List<Charge> charges = subjects.get(index);
		String subject = charges.get(0).subject();
		// the shared buckets bound each take's wait by the Redis timeout and keep the
		// circuit breaker per script call (see RedisBuckets); any failure falls back here
		this.shared.take(subject, charges, loop, new Waiter() {

			@Override
			public void verdict(Verdict verdict) {
				Verdict all = before.and(verdict);
				if (index + 1 == subjects.size() || all.refusal().isPresent()) {
					waiter.verdict(all);
				}
				else {
					take(subjects, index + 1, all, loop, waiter);
				}
			}

			@Override
			public void failed(Throwable failure) {
				verdict(takeLocally(subject, charges, failure));
			}

			@Override
			public boolean gone() {
				return waiter.gone();
			}

		});
	}

	/**
	 * Gives back what granted charges took (a response that costs nothing), in the
	 * background.
	 */
	void giveBack(List<Charge> charges) {
		bySubject(charges).forEach((subject, taken) -> this.shared.giveBack(subject, taken)
			.timeout(this.redisTimeout)
			.onErrorComplete()
			.subscribe());
	}

	private Verdict takeLocally(String subject, List<Charge> charges, Throwable failure) {
		counter("aqad.ratelimit.fallbacks", "reason", reason(failure)).increment();
		log.debug("Rate limit buckets of {} taken locally: {}", subject, failure.toString());
		return this.local.take(charges);
	}

	private static Map<String, List<Charge>> bySubject(List<Charge> charges) {
		Map<String, List<Charge>> bySubject = new LinkedHashMap<>();
		for (Charge charge : charges) {
			bySubject.computeIfAbsent(charge.subject(), (subject) -> new ArrayList<>(2)).add(charge);
		}
		return bySubject;
	}

	/**
	 * Counts the verdict per policy and logs each refusal once per subject and bucket
	 * window, with the request's id: call it where the request's thread locals are set.
	 */
	void record(Verdict verdict) {
		Charge charge = null;
		int outcome = ALLOWED;
		for (Take take : verdict.takes()) {
			if (take.charge() != charge) {
				count(charge, outcome);
				charge = take.charge();
				outcome = ALLOWED;
			}
			if (!take.granted()) {
				outcome = Math.max(outcome, take.refuses() ? REFUSED : SHADOW_REFUSED);
				logOnce(take, verdict.local());
			}
		}
		count(charge, outcome);
	}

	private void count(Charge charge, int outcome) {
		if (charge != null) {
			this.outcomes.computeIfAbsent(charge.policy(), this::outcomeCounters)[outcome].increment();
		}
	}

	private Counter[] outcomeCounters(RateLimitPolicy policy) {
		Counter[] counters = new Counter[OUTCOMES.length];
		for (int i = 0; i < OUTCOMES.length; i++) {
			counters[i] = Counter.builder("aqad.ratelimit.requests")
				.tags("policy", policy.name(), "outcome", OUTCOMES[i])
				.register(this.meters);
		}
		return counters;
	}

	private void logOnce(Take take, boolean local) {
		String key = take.charge().subject() + " " + take.bucket().name();
		Duration window = Duration.ofMillis(take.bucket().periodMillis());
		if (this.logged.asMap().putIfAbsent(key, window) == null) {
			this.events.record(take.refuses() ? "rate_limited" : "rate_limited_shadow", "policy",
					take.charge().policy().name(), "bucket", take.bucket().name(), "subject", take.charge().subject(),
					"retryAfterMs", take.retryMillis(), "buckets", local ? "local" : "shared");
		}
	}

	private Counter counter(String name, String... tags) {
		return this.counters.computeIfAbsent(name + String.join(",", tags),
				(key) -> Counter.builder(name).tags(tags).register(this.meters));
	}

	private static String reason(Throwable failure) {
		if (failure instanceof CallNotPermittedException) {
			return "breaker_open";
		}
		return (failure instanceof TimeoutException) ? "timeout" : "redis_error";
	}

}
