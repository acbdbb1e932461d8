package com.aqad.marketplace.ratelimit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import com.aqad.marketplace.ratelimit.RateLimitPolicy.Bucket;

/**
 * The instance's own buckets, used while Redis does not answer: per subject and bucket,
 * the shared bucket's algorithm (GCRA, as {@link RedisBuckets}' script) with the bucket's
 * capacity divided by the number of instances, so that all instances together stay within
 * the shared limit. A bucket unused for a whole period is dropped (it is full by then, as
 * a new one starts).
 * <p>
 * A bucket's state is one {@code long} (its "theoretical arrival time") swapped in place:
 * a take allocates nothing that lives on. One Resilience4j {@code AtomicRateLimiter} per
 * subject, used here before, replaced an immutable state object on every take; with the
 * tens of thousands of subjects of a busy minute kept in the old generation, each young
 * collection had to copy and trace those states, and its pauses grew from 1–4 ms to 20–37
 * ms while Redis was down (measured, {@code src/docs/benchmarks.md}). Resilience4j's
 * limiter still caps the instance as a whole ({@code InstanceCap}), where there is one.
 */
class LocalBuckets {

	private final int instances;

	private final LongSupplier nanoClock;

	private final Cache<String, Gcra> buckets;

	LocalBuckets(int instances, long maxSubjects) {
		this(instances, maxSubjects, System::nanoTime);
	}

	/**
	 * @param nanoClock the clock of the buckets and of their expiry, in nanoseconds
	 */
	LocalBuckets(int instances, long maxSubjects, LongSupplier nanoClock) {
		this.instances = instances;
		this.nanoClock = nanoClock;
		this.buckets = Caffeine.newBuilder()
			.maximumSize(maxSubjects)
			.executor(Runnable::run)
			.ticker(nanoClock::getAsLong)
			.expireAfter(Expiry.<String, Gcra>accessing((key, bucket) -> bucket.unusedFor))
			.build();
	}

	/**
	 * Takes from the local buckets of the charges: from all of them when every enforced
	 * one has the tokens, from none otherwise.
	 */
	Verdict take(List<Charge> charges) {
		long now = this.nanoClock.getAsLong();
		List<Gcra> picked = new ArrayList<>(4);
		boolean allowed = true;
		for (Charge charge : charges) {
			for (Bucket bucket : charge.buckets()) {
				Gcra gcra = this.buckets.get(charge.subject() + " " + bucket.name(),
						(key) -> new Gcra(bucket, charge.cost(), this.instances));
				picked.add(gcra);
				if (!charge.shadow() && !gcra.fits(charge.cost(), now)) {
					allowed = false;
				}
			}
		}
		List<Take> takes = new ArrayList<>(picked.size());
		int i = 0;
		for (Charge charge : charges) {
			for (Bucket bucket : charge.buckets()) {
				takes.add(picked.get(i++).take(charge, bucket, allowed, now));
			}
		}
		return new Verdict(List.copyOf(takes), true);
	}

	void clear() {
		this.buckets.invalidateAll();
	}

	/** the buckets remembered, after those unused for their period are dropped */
	long subjects() {
		this.buckets.cleanUp();
		return this.buckets.estimatedSize();
	}

	/**
	 * One bucket: the moment it would be full again, on the nanosecond clock.
	 */
	static final class Gcra {

		private static final VarHandle FULL_AT;

		static {
			try {
				FULL_AT = MethodHandles.lookup().findVarHandle(Gcra.class, "fullAt", long.class);
			}
			catch (ReflectiveOperationException ex) {
				throw new ExceptionInInitializerError(ex);
			}
		}

		/** nanoseconds per token */
		private final long interval;

		/** how far ahead of now {@link #fullAt} may be: the whole bucket */
		private final long period;

		/** how long the bucket is kept unused: by then it is full */
		private final Duration unusedFor;

		/** far in the past for a new bucket: full */
		private volatile long fullAt = Long.MIN_VALUE / 2;

		Gcra(Bucket bucket, int cost, int instances) {
			long share = Math.max(cost, bucket.capacity() / instances);
			this.period = TimeUnit.MILLISECONDS.toNanos(bucket.periodMillis());
			this.interval = Math.max(1, this.period / share);
			this.unusedFor = Duration.ofNanos(this.period);
		}

		boolean fits(int cost, long now) {
			return Math.max(this.fullAt, now) + cost * this.interval - now <= this.period;
		}

		/**
		 * The bucket's answer for a request of {@code cost} tokens, taking them when
		 * {@code taking} and the bucket has them (a take that loses a race for the last
		 * tokens is refused: never more granted than the bucket holds).
		 */
		Take take(Charge charge, Bucket bucket, boolean taking, long now) {
			int cost = charge.cost();
			for (;;) {
				long fullAt = this.fullAt;
				long start = Math.max(fullAt, now);
				long after = start + cost * this.interval;
				boolean fits = after - now <= this.period;
				long until = start;
				if (fits && taking) {
					if (!FULL_AT.compareAndSet(this, fullAt, after)) {
						continue;
					}
					until = after;
				}
				long left = until - now;
				long remaining = Math.max(0, (this.period - left) / this.interval);
				long retry = fits ? 0 : Math.max(1, ceilMillis(after - now - this.period));
				return new Take(charge, bucket, fits, remaining, ceilMillis(left), retry);
			}
		}

		private static long ceilMillis(long nanos) {
			return (nanos <= 0) ? 0 : (nanos + 999_999) / 1_000_000;
		}

	}

}
