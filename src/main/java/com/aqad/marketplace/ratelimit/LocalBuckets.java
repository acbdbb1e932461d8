package com.aqad.marketplace.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;

import com.aqad.marketplace.ratelimit.RateLimitPolicy.Bucket;

/**
 * The instance's own buckets, used while Redis does not answer: one Resilience4j rate
 * limiter per subject and bucket, allowing the bucket's capacity divided by the number of
 * instances per period, so that all instances together stay within the shared limit. A
 * limiter unused for a whole period is dropped (a new one starts full, as the shared
 * bucket would be by then).
 */
class LocalBuckets {

	private final int instances;

	private final Cache<String, Limiter> limiters;

	LocalBuckets(int instances, long maxSubjects) {
		this.instances = instances;
		this.limiters = Caffeine.newBuilder()
			.maximumSize(maxSubjects)
			.executor(Runnable::run)
			.expireAfter(Expiry.<String, Limiter>accessing((key, limiter) -> limiter.period()))
			.build();
	}

	/**
	 * Takes from the local buckets of the charges: from all of them when every enforced
	 * one has the tokens, from none otherwise.
	 */
	Verdict take(List<Charge> charges) {
		List<Limiter> picked = new ArrayList<>();
		boolean allowed = true;
		for (Charge charge : charges) {
			for (Bucket bucket : charge.buckets()) {
				Limiter limiter = this.limiters.get(charge.subject() + " " + bucket.name(),
						(key) -> Limiter.of(key, bucket, charge.cost(), this.instances));
				picked.add(limiter);
				if (!charge.shadow() && limiter.available() < charge.cost()) {
					allowed = false;
				}
			}
		}
		List<Take> takes = new ArrayList<>(picked.size());
		int i = 0;
		for (Charge charge : charges) {
			for (Bucket bucket : charge.buckets()) {
				Limiter limiter = picked.get(i++);
				boolean granted = allowed ? limiter.rateLimiter().acquirePermission(charge.cost())
						: limiter.available() >= charge.cost();
				long retry = granted ? 0 : Math.max(1, limiter.nanosToWait() / 1_000_000);
				takes.add(new Take(charge, bucket, granted, limiter.available(), bucket.periodMillis(), retry));
			}
		}
		return new Verdict(List.copyOf(takes), true);
	}

	void clear() {
		this.limiters.invalidateAll();
	}

	record Limiter(AtomicRateLimiter rateLimiter, Duration period) {

		static Limiter of(String name, Bucket bucket, int cost, int instances) {
			int share = (int) Math.min(Integer.MAX_VALUE, Math.max(cost, bucket.capacity() / instances));
			Duration period = Duration.ofMillis(bucket.periodMillis());
			RateLimiterConfig config = RateLimiterConfig.custom()
				.limitForPeriod(share)
				.limitRefreshPeriod(period)
				.timeoutDuration(Duration.ZERO)
				.build();
			return new Limiter((AtomicRateLimiter) RateLimiter.of(name, config), period);
		}

		int available() {
			return Math.max(0, this.rateLimiter.getMetrics().getAvailablePermissions());
		}

		long nanosToWait() {
			return this.rateLimiter.getDetailedMetrics().getNanosToWait();
		}

	}

}
