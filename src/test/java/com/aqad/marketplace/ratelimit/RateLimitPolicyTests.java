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
