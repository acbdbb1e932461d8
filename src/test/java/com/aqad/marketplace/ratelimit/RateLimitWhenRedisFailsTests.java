package com.aqad.marketplace.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import redis.embedded.RedisServer;

import com.aqad.marketplace.platform.devservices.ApiTest;
import com.aqad.marketplace.platform.devservices.DataServices;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Redis stops while clients keep coming: every request is still answered, within the
 * instance's share of each limit (capacity / instances), and the shared, exact limits
 * come back with Redis.
 */
@ApiTest(properties = { "management.server.port=0", RateLimitTests.ENFORCE, RateLimitTests.TRUST_LOCAL_PROXY,
		"aqad.ratelimit.policies.catalog.buckets.burst.capacity=10",
		"aqad.ratelimit.policies.catalog.buckets.burst.period=1h", "aqad.ratelimit.instances=2",
		"aqad.ratelimit.breaker-open-for=200ms" })
class RateLimitWhenRedisFailsTests {

	private static RedisServer redisServer;

	private static int redisPort;

	@Autowired
	private WebTestClient http;

	@Autowired
	private ReactiveStringRedisTemplate redis;

	@Autowired
	private MeterRegistry meters;

	@LocalServerPort
	private int port;

	@Autowired
	private CircuitBreakerRegistry breakers;

	@DynamicPropertySource
	static void redisOfItsOwn(DynamicPropertyRegistry registry) throws IOException {
		redisPort = DataServices.freePort();
		redisServer = startRedis();
		registry.add("spring.data.redis.host", () -> "127.0.0.1");
		registry.add("spring.data.redis.port", () -> redisPort);
	}

	@AfterAll
	static void stopRedis() throws IOException {
		redisServer.stop();
	}

	@Test
	void limitsFallBackToTheInstancesShareWhileRedisIsDownAndBecomeExactAgainAfter() throws IOException {
		UUID product = UUID.randomUUID();
		awaitSharedBuckets(product);
		assertThat(answers(product, RateLimitTests.newAddress(), 15)).containsEntry(HttpStatus.NOT_FOUND, 10L)
			.containsEntry(HttpStatus.TOO_MANY_REQUESTS, 5L);

		redisServer.stop();
		double fallbacksBefore = fallbacks();
		assertThat(answers(product, RateLimitTests.newAddress(), 15)).as("half of 10 on each of 2 instances")
			.containsEntry(HttpStatus.NOT_FOUND, 5L)
			.containsEntry(HttpStatus.TOO_MANY_REQUESTS, 10L);
		assertThat(fallbacks()).isGreaterThanOrEqualTo(fallbacksBefore + 15);

		redisServer = startRedis();
		awaitSharedBuckets(product);
		assertThat(answers(product, RateLimitTests.newAddress(), 15)).containsEntry(HttpStatus.NOT_FOUND, 10L)
			.containsEntry(HttpStatus.TOO_MANY_REQUESTS, 5L);
	}

	/**
	 * A Redis that stops answering (paused, not gone): every request is still answered
	 * from the local buckets within the limiter's Redis timeout (500 ms), however many
	 * wait at once; none waits for Redis to come back.
	 */
	@Test
	void aRedisThatStopsAnsweringCostsEachWaitingRequestNoMoreThanTheTimeout() {
		UUID product = UUID.randomUUID();
		awaitSharedBuckets(product);
		double timeoutsBefore = fallbacks("timeout");
		WebClient client = WebClient.create("http://localhost:" + this.port);
		RedisClient admin = RedisClient.create(RedisURI.create("127.0.0.1", redisPort));
		try (StatefulRedisConnection<String, String> connection = admin.connect()) {
			connection.sync().clientPause(5_000);
			long start = System.nanoTime();
			List<Integer> statuses = Flux.range(0, 60)
				.flatMap((i) -> client.get()
					.uri("/api/v1/products/{id}", product)
					.header("X-Forwarded-For", RateLimitTests.newAddress())
					.exchangeToMono((response) -> Mono.just(response.statusCode().value())), 60)
				.collectList()
				.block(Duration.ofSeconds(10));
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			assertThat(statuses).hasSize(60).containsOnly(404);
			assertThat(took).as("all answered long before Redis answers again").isLessThan(Duration.ofMillis(2_500));
		}
		finally {
			admin.shutdown();
		}
		assertThat(fallbacks("timeout")).isGreaterThan(timeoutsBefore);
		awaitSharedBuckets(product);
	}

	/** until a request is counted in Redis again (the breaker has closed) */
	private void awaitSharedBuckets(UUID product) {
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
			String client = RateLimitTests.newAddress();
			get(product, client).returnResult(String.class);
			return this.breakers.circuitBreaker(RedisBuckets.BREAKER).getState() == CircuitBreaker.State.CLOSED
					&& Boolean.TRUE.equals(this.redis.hasKey("ratelimit:{ip:" + client + "}:catalog[burst,hour]")
						.timeout(Duration.ofSeconds(1))
						.onErrorReturn(false)
						.block());
		});
	}

	private Map<HttpStatus, Long> answers(UUID product, String client, int count) {
		Map<HttpStatus, Long> answers = new HashMap<>();
		for (int i = 0; i < count; i++) {
			HttpStatus status = HttpStatus.valueOf(get(product, client).returnResult(String.class).getStatus().value());
			answers.merge(status, 1L, Long::sum);
		}
		return answers;
	}

	private WebTestClient.ResponseSpec get(UUID product, String client) {
		return this.http.get().uri("/api/v1/products/{id}", product).header("X-Forwarded-For", client).exchange();
	}

	private double fallbacks() {
		return this.meters.find("aqad.ratelimit.fallbacks").counters().stream().mapToDouble((c) -> c.count()).sum();
	}

	private double fallbacks(String reason) {
		return this.meters.find("aqad.ratelimit.fallbacks")
			.tag("reason", reason)
			.counters()
			.stream()
			.mapToDouble((c) -> c.count())
			.sum();
	}

	private static RedisServer startRedis() throws IOException {
		return DataServices.startRedis(redisPort);
	}

}
