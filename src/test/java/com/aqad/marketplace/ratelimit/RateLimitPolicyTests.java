package com.aqad.marketplace.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.aqad.marketplace.ratelimit.RateLimitProperties.Bucket;
import com.aqad.marketplace.ratelimit.RateLimitProperties.Key;
import com.aqad.marketplace.ratelimit.RateLimitProperties.Policy;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

class RateLimitPolicyTests {

	@Test
	void aPolicyMatchesItsPathsAndMethodsOnly() {
		RateLimitPolicy orders = single("orders", policy(List.of("/api/v1/orders", "/api/v1/orders/*/*"),
				Set.of("post"), 1, Map.of("minute", new Bucket(30, Duration.ofMinutes(1)))));

		assertThat(orders.matches(MockServerHttpRequest.post("/api/v1/orders").build())).isTrue();
		assertThat(orders.matches(MockServerHttpRequest.post("/api/v1/orders/abc/cancel").build())).isTrue();
		assertThat(orders.matches(MockServerHttpRequest.get("/api/v1/orders").build())).isFalse();
		assertThat(orders.matches(MockServerHttpRequest.post("/api/v1/products").build())).isFalse();
	}

	@Test
	void anAccountsTierChoosesItsBuckets() {
		Policy configured = new Policy(List.of("/api/v1/**"), Set.of(), Key.ACCOUNT, 1, Set.of(304),
				Map.of("burst", new Bucket(100, Duration.ofSeconds(10))),
				Map.of("partner", Map.of("burst", new Bucket(500, Duration.ofSeconds(10)))), false);
		RateLimitPolicy account = single("account", configured);

		assertThat(account.buckets("partner")).extracting(RateLimitPolicy.Bucket::capacity).containsExactly(500L);
		assertThat(account.buckets("free")).extracting(RateLimitPolicy.Bucket::capacity).containsExactly(100L);
		assertThat(account.buckets(null)).extracting(RateLimitPolicy.Bucket::capacity).containsExactly(100L);
	}

	@Test
	void eachBucketListIsKeptInRedisUnderAKeyNamingItsBucketsInOrder() {
		Map<String, Bucket> buckets = new java.util.LinkedHashMap<>();
		buckets.put("burst", new Bucket(200, Duration.ofSeconds(10)));
		buckets.put("hour", new Bucket(20000, Duration.ofHours(1)));
		Map<String, Bucket> partner = new java.util.LinkedHashMap<>();
		partner.put("hour", new Bucket(100000, Duration.ofHours(1)));
		partner.put("burst", new Bucket(500, Duration.ofSeconds(10)));
		RateLimitPolicy policy = single("catalog", new Policy(List.of("/x"), Set.of(), Key.ACCOUNT, 2, Set.of(304),
				buckets, Map.of("partner", partner), false));

		RateLimitPolicy.Shared standard = policy.shared(policy.buckets(null));
		assertThat(standard.keySuffix()).isEqualTo("catalog[burst,hour]");
		// cost, buckets, then each bucket's milliseconds per token and period
		assertThat(standard.arguments()).containsExactly("2", "2", "50.0", "10000", "180.0", "3600000");
		// another order is another layout of the value, so another key
		assertThat(policy.shared(policy.buckets("partner")).keySuffix()).isEqualTo("catalog[hour,burst]");
		assertThat(policy.shared(policy.buckets("partner"))).isSameAs(policy.shared(policy.buckets("partner")));
	}

	@Test
	void aPolicyWithMoreBucketsThanRedisKeepsPerKeyIsRefusedAtStartUp() {
		Map<String, Bucket> buckets = new java.util.LinkedHashMap<>();
		for (String name : List.of("a", "b", "c", "d", "e")) {
			buckets.put(name, new Bucket(100, Duration.ofMinutes(1)));
		}
		assertThatIllegalArgumentException()
			.isThrownBy(() -> single("many", policy(List.of("/x"), Set.of(), 1, buckets)))
			.withMessageContaining("more than 4 buckets");
	}

	@Test
	void aRequestThatCostsMoreThanABucketHoldsIsRefusedAtStartUp() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> single("feed",
					policy(List.of("/api/v1/feed/**"), Set.of(), 10,
							Map.of("minute", new Bucket(5, Duration.ofMinutes(1))))))
			.withMessageContaining("less than a request costs");
	}

	@Test
	void namesThatCannotAppearInHeadersAreRefusedAtStartUp() {
		assertThatIllegalArgumentException().isThrownBy(() -> single("Bad Name",
				policy(List.of("/x"), Set.of(), 1, Map.of("minute", new Bucket(5, Duration.ofMinutes(1))))));
	}

	private static Policy policy(List<String> paths, Set<String> methods, int cost, Map<String, Bucket> buckets) {
		return new Policy(paths, methods, Key.ACCOUNT, cost, Set.of(304), buckets, Map.of(), false);
	}

	private static RateLimitPolicy single(String name, Policy policy) {
		return RateLimitPolicy
			.of(new RateLimitProperties(true, 1, 1000, List.of(), Duration.ofMillis(50), Duration.ofSeconds(2), false,
					Set.of("loadtest"), 1, Map.of(name, policy)))
			.get(0);
	}

}
