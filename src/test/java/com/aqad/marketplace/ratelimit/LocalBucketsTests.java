package com.aqad.marketplace.ratelimit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.aqad.marketplace.ratelimit.RateLimitProperties.Bucket;
import com.aqad.marketplace.ratelimit.RateLimitProperties.Key;
import com.aqad.marketplace.ratelimit.RateLimitProperties.Policy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The instance's own buckets (used while Redis does not answer), on a clock the test
 * moves.
 */
class LocalBucketsTests {

	private final AtomicLong clock = new AtomicLong(1_000_000_000L);

	@Test
	void aBucketGivesItsCapacityThenRefillsOneTokenPerIntervalAndSaysWhenToRetry() {
		RateLimitPolicy policy = policy("catalog", 1, bucket("burst", 3, Duration.ofSeconds(3)));
		LocalBuckets buckets = new LocalBuckets(1, 1000, this.clock::get);
		Charge charge = charge(policy, "ip:10.0.0.1");

		assertThat(remaining(buckets.take(List.of(charge)))).containsExactly(2L);
		assertThat(remaining(buckets.take(List.of(charge)))).containsExactly(1L);
		Verdict last = buckets.take(List.of(charge));
		assertThat(last.refusal()).isEmpty();
		assertThat(last.takes().get(0).resetMillis()).as("empty: full again after the whole period").isEqualTo(3000);

		Verdict refused = buckets.take(List.of(charge));
		assertThat(refused.refusal()).isPresent();
		assertThat(refused.takes().get(0).retryMillis()).isEqualTo(1000);
		assertThat(refused.retryAfterSeconds()).isEqualTo(1);

		this.clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(999));
		assertThat(buckets.take(List.of(charge)).refusal()).as("not a whole token yet").isPresent();
		this.clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
		assertThat(buckets.take(List.of(charge)).refusal()).isEmpty();
		assertThat(buckets.take(List.of(charge)).refusal()).isPresent();

		assertThat(buckets.take(List.of(charge(policy, "ip:10.0.0.2"))).refusal())
			.as("another subject has buckets of its own")
			.isEmpty();
	}

	@Test
	void eachInstanceGivesItsShareOfTheCapacity() {
		RateLimitPolicy policy = policy("catalog", 1, bucket("burst", 10, Duration.ofHours(1)));
		LocalBuckets buckets = new LocalBuckets(2, 1000, this.clock::get);
		Charge charge = charge(policy, "ip:10.0.0.1");

		for (int i = 0; i < 5; i++) {
			assertThat(buckets.take(List.of(charge)).refusal()).isEmpty();
		}
		assertThat(buckets.take(List.of(charge)).refusal()).isPresent();
	}

	@Test
	void aRefusedRequestTakesFromNoneOfItsBucketsAndAShadowChargeRefusesNothing() {
		Map<String, Bucket> two = new LinkedHashMap<>();
		two.put("small", new Bucket(2, Duration.ofHours(1)));
		two.put("large", new Bucket(100, Duration.ofHours(1)));
		RateLimitPolicy policy = policy("catalog", 1, two);
		LocalBuckets buckets = new LocalBuckets(1, 1000, this.clock::get);
		Charge charge = charge(policy, "ip:10.0.0.1");

		buckets.take(List.of(charge));
		buckets.take(List.of(charge));
		Verdict refused = buckets.take(List.of(charge));
		assertThat(refused.refusal())
			.hasValueSatisfying((take) -> assertThat(take.bucket().name()).isEqualTo("catalog.small"));
		assertThat(remaining(refused)).as("the large bucket kept its tokens").containsExactly(0L, 98L);
		assertThat(remaining(buckets.take(List.of(charge)))).containsExactly(0L, 98L);

		RateLimitPolicy watched = policy("watched", 1, bucket("minute", 1, Duration.ofMinutes(1)));
		Charge shadow = new Charge(watched, "account:a", watched.buckets(null), true);
		Charge enforced = charge(policy, "account:a");
		buckets.take(List.of(shadow, enforced));
		Verdict both = buckets.take(List.of(shadow, enforced));
		assertThat(both.takes().get(0).granted()).as("the shadow bucket is empty").isFalse();
		assertThat(both.refusal()).as("but refuses nothing").isEmpty();
		assertThat(both.takes().get(1).remaining()).as("and the enforced buckets were taken from").isEqualTo(0);
		assertThat(both.takes().get(2).remaining()).isEqualTo(98);
	}

	@Test
	void concurrentTakesNeverGrantMoreThanTheBucketHolds() throws Exception {
		RateLimitPolicy policy = policy("catalog", 1, bucket("burst", 1000, Duration.ofHours(1)));
		LocalBuckets buckets = new LocalBuckets(1, 1000, this.clock::get);
		Charge charge = charge(policy, "ip:10.0.0.1");
		int threads = 8;
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<Integer>> granted = new java.util.ArrayList<>();
			for (int t = 0; t < threads; t++) {
				granted.add(pool.submit(() -> {
					start.await();
					int mine = 0;
					for (int i = 0; i < 500; i++) {
						if (buckets.take(List.of(charge)).refusal().isEmpty()) {
							mine++;
						}
					}
					return mine;
				}));
			}
			start.countDown();
			int total = 0;
			for (Future<Integer> each : granted) {
				total += each.get(30, TimeUnit.SECONDS);
			}
			assertThat(total).isEqualTo(1000);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void aBucketUnusedForAWholePeriodIsForgottenAndStartsFull() {
		RateLimitPolicy policy = policy("catalog", 1, bucket("burst", 2, Duration.ofSeconds(10)));
		LocalBuckets buckets = new LocalBuckets(1, 1000, this.clock::get);
		Charge charge = charge(policy, "ip:10.0.0.1");
		buckets.take(List.of(charge));
		buckets.take(List.of(charge));
		assertThat(buckets.take(List.of(charge)).refusal()).isPresent();

		this.clock.addAndGet(Duration.ofSeconds(9).toNanos());
		assertThat(buckets.subjects()).as("used within its period: kept").isEqualTo(1);
		this.clock.addAndGet(Duration.ofSeconds(10).toNanos());
		assertThat(buckets.subjects()).as("unused for its period: full, so forgotten").isZero();
		assertThat(remaining(buckets.take(List.of(charge)))).containsExactly(1L);
	}

	private static List<Long> remaining(Verdict verdict) {
		return verdict.takes().stream().map(Take::remaining).toList();
	}

	private static Charge charge(RateLimitPolicy policy, String subject) {
		return new Charge(policy, subject, policy.buckets(null));
	}

	private static Map<String, Bucket> bucket(String name, long capacity, Duration period) {
		return Map.of(name, new Bucket(capacity, period));
	}

	private static RateLimitPolicy policy(String name, int cost, Map<String, Bucket> buckets) {
		Policy policy = new Policy(List.of("/x"), Set.of(), Key.IP, cost, Set.of(304), buckets, Map.of(), false);
		return RateLimitPolicy
			.of(new RateLimitProperties(true, 1, 1000, List.of(), Duration.ofMillis(50), Duration.ofSeconds(2), false,
					Set.of("loadtest"), 1, Map.of(name, policy)))
			.get(0);
	}

}
