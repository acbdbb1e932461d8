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
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;

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

	@Test
	void theRateLimitFieldsNameEveryBucketThatRefusesWithItsStateAndSkipShadowOnes() {
		Map<String, Bucket> buckets = new java.util.LinkedHashMap<>();
		buckets.put("burst", new Bucket(200, Duration.ofSeconds(10)));
		buckets.put("hour", new Bucket(20000, Duration.ofHours(1)));
		RateLimitPolicy catalog = single("catalog", policy(List.of("/x"), Set.of(), 1, buckets));
		RateLimitPolicy login = single("login",
				policy(List.of("/x"), Set.of(), 1, Map.of("attempts", new Bucket(5, Duration.ofMinutes(15)))));
		Charge one = new Charge(catalog, "ip:10.0.0.1", catalog.buckets(null));
		List<Take> takes = List.of(new Take(one, one.buckets().get(0), true, 199, 50, 0),
				new Take(one, one.buckets().get(1), true, 0, 3_600_000, 0));

		MockServerHttpResponse alone = response();
		RateLimitHeaders.write(alone, new Verdict(takes, false));
		assertThat(alone.getHeaders().getFirst(RateLimitHeaders.POLICY))
			.isEqualTo("\"catalog.burst\";q=200;w=10, \"catalog.hour\";q=20000;w=3600");
		assertThat(alone.getHeaders().getFirst(RateLimitHeaders.STATE))
			.isEqualTo("\"catalog.burst\";r=199;t=1, \"catalog.hour\";r=0;t=3600");

		Charge shadow = new Charge(catalog, "account:a", catalog.buckets(null), true);
		Charge second = new Charge(login, "email:e", login.buckets(null));
		List<Take> more = new java.util.ArrayList<>(takes);
		more.add(new Take(shadow, shadow.buckets().get(0), false, 0, 10_000, 50));
		more.add(new Take(second, second.buckets().get(0), false, 0, 900_001, 180_000));
		MockServerHttpResponse two = response();
		RateLimitHeaders.write(two, new Verdict(List.copyOf(more), false));
		assertThat(two.getHeaders().getFirst(RateLimitHeaders.POLICY))
			.isEqualTo("\"catalog.burst\";q=200;w=10, \"catalog.hour\";q=20000;w=3600, \"login.attempts\";q=5;w=900");
		assertThat(two.getHeaders().getFirst(RateLimitHeaders.STATE))
			.isEqualTo("\"catalog.burst\";r=199;t=1, \"catalog.hour\";r=0;t=3600, \"login.attempts\";r=0;t=901");

		MockServerHttpResponse none = response();
		RateLimitHeaders.write(none,
				new Verdict(List.of(new Take(shadow, shadow.buckets().get(0), true, 5, 1, 0)), false));
		assertThat(none.getHeaders().containsHeader(RateLimitHeaders.POLICY)).isFalse();
		assertThat(none.getHeaders().containsHeader(RateLimitHeaders.STATE)).isFalse();
	}

	/** a response without Netty's: the fields are set through Spring's headers */
	private static MockServerHttpResponse response() {
		return new MockServerHttpResponse() {

			@Override
			@SuppressWarnings("unchecked")
			public <T> T getNativeResponse() {
				return (T) new Object();
			}

		};
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
