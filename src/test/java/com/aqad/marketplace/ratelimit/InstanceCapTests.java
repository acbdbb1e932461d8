package com.aqad.marketplace.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import com.aqad.marketplace.platform.web.ApiException;

import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilterChain;

/**
 * The instance's total cap: beyond it every request is refused at once with 503
 * {@code busy}, before any Redis call or authentication.
 */
class InstanceCapTests {

	@Test
	void beyondTheInstanceCapRequestsAreRefusedAsBusyWithoutReachingTheApplication() {
		RateLimiter cap = RateLimiter.of("instance",
				RateLimiterConfig.custom()
					.limitForPeriod(2)
					.limitRefreshPeriod(Duration.ofMinutes(1))
					.timeoutDuration(Duration.ZERO)
					.build());
		// no policies: nothing but the cap applies (and nothing reaches Redis)
		AnonymousLimits filter = new AnonymousLimits(cap, List.of(), new ClientAddress(List.of()), null, null);
		AtomicInteger served = new AtomicInteger();
		WebFilterChain application = (exchange) -> Mono.fromRunnable(served::incrementAndGet);

		for (int i = 0; i < 2; i++) {
			StepVerifier.create(filter.filter(exchange(), application)).verifyComplete();
		}
		StepVerifier.create(filter.filter(exchange(), application)).expectErrorSatisfies((error) -> {
			ApiException busy = (ApiException) error;
			assertThat(busy.status().value()).isEqualTo(503);
			assertThat(busy.code()).isEqualTo("busy");
			assertThat(busy.headers().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
		}).verify();
		assertThat(served).hasValue(2);
	}

	private static MockServerWebExchange exchange() {
		return MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/products"));
	}

}
