package com.aqad.marketplace.catalog;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import io.lettuce.core.KillArgs;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import com.aqad.marketplace.platform.devservices.ApiTest;
import com.aqad.marketplace.platform.devservices.DataServices;
import com.aqad.marketplace.platform.redis.RedisAvailability;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis cache in front of the catalog, against real Redis and PostgreSQL. Rows are
 * changed behind the service's back to tell a cached answer from a fresh one.
 */
@ApiTest(properties = { "management.server.port=0",
		// generous, so that a cold JVM on a busy CI machine does not turn cache reads
		// into fallbacks
		"aqad.catalog.cache.redis-timeout=1s", "spring.data.redis.timeout=2s",
		// every list read asks Redis (NearListingsTests covers the copy in memory)
		"aqad.catalog.cache.list-near-ttl=0s" })
class CatalogCacheTests {

	@Autowired
	private WebTestClient http;

	@Autowired
	private DatabaseClient db;

	@Autowired
	private CatalogService catalog;

	@Autowired
	private CatalogCache cache;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private RedisAvailability redis;

	@Autowired
	private ReactiveStringRedisTemplate redisTemplate;

	@LocalServerPort
	private int port;

	private CatalogFixtures fixtures;

	private UUID vendor;

	private UUID category;

	@BeforeEach
	void freshVendorAndCategoryWithRedisOpen() {
		await().atMost(Duration.ofSeconds(30)).until(this.redis::isOpen);
		this.fixtures = new CatalogFixtures(this.db, this.catalog);
		this.vendor = this.fixtures.vendor();
		this.category = this.fixtures.category();
	}

	@Test
	void aCachedProductIsServedWithoutTheDatabaseAndAnyChangeReplacesIt() {
		UUID id = this.fixtures.product(this.vendor, this.category, "Cached Kettle", 1_000, 5, "ACTIVE");
		priceOf(id, 1_000);
		double loads = loads("product");
		priceOf(id, 1_000);
		assertThat(loads("product")).as("served from the cache").isEqualTo(loads);

		// a change made behind the API's back (an operator's UPDATE) is notified by
		// PostgreSQL: the next reads get the new row, loaded once
		this.fixtures.update(id, "price_minor = 2000");
		await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> priceOf(id, 2_000));
		assertThat(loads("product") - loads).as("loads after the change").isEqualTo(1);

		Product changed = this.fixtures.update(id, "price_minor = 3000");
		this.catalog.productChanged(changed).block();
		priceOf(id, 3_000);
		assertThat(loads("product") - loads).as("the write put the new row in the cache").isEqualTo(1);
	}

	@Test
	void anOlderVersionNeverReplacesANewerOne() {
		UUID id = this.fixtures.product(this.vendor, this.category, "Raced Kettle", 1_000, 5, "ACTIVE");
		Product older = this.fixtures.update(id, "price_minor = 1500");
		Product newer = this.fixtures.update(id, "price_minor = 2500");
		this.catalog.productChanged(newer).block();
		this.catalog.productChanged(older).block();
		priceOf(id, 2_500);
	}

	@Test
	void concurrentMissesOfOneProductCostOneDatabaseLoad() {
		UUID warmUp = this.fixtures.product(this.vendor, this.category, "Warm Kettle", 1_000, 5, "ACTIVE");
		UUID id = this.fixtures.product(this.vendor, this.category, "Hot Kettle", 1_000, 5, "ACTIVE");
		assertThat(getConcurrently(warmUp, 64)).isEqualTo(64);
		double loads = loads("product");
		assertThat(getConcurrently(id, 64)).isEqualTo(64);
		// One load at a time per key: the 64 requests share a flight. Without single
		// flight
		// every miss loads (typically 10 to 30 of the 64 here). A second, later load has
		// been
		// seen about once in five full-suite runs: see the foundation issue's closing
		// note.
		assertThat(loads("product") - loads)
			.as("database loads for 64 concurrent misses (unavailable " + count("product", "unavailable") + ", misses "
					+ count("product", "miss") + ")")
			.isLessThanOrEqualTo(2);
	}

	@Test
	void unknownIdsAreRememberedAsAbsentUntilTheProductIsCreated() {
		UUID id = UUID.randomUUID();
		double loads = loads("product");
		this.http.get().uri("/api/v1/products/{id}", id).exchange().expectStatus().isNotFound();
		this.http.get().uri("/api/v1/products/{id}", id).exchange().expectStatus().isNotFound();
		assertThat(loads("product") - loads).as("one database load for two lookups").isEqualTo(1);

		this.fixtures.insert(id, this.vendor, this.category, "Late Kettle", 700, 1, "ACTIVE").block();
		this.http.get().uri("/api/v1/products/{id}", id).exchange().expectStatus().isNotFound();
		Product created = this.db.sql("select * from products where id = :id")
			.bind("id", id)
			.map(ProductRepository::product)
			.one()
			.block();
		this.catalog.productChanged(created).block();
		priceOf(id, 700);
	}

	@Test
	void listPagesAreCachedAndDroppedTogetherWhenListingsChange() {
		UUID first = this.fixtures.product(this.vendor, this.category, "Listed Mug", 100, 1, "ACTIVE");
		String page = "/api/v1/products?categoryId=" + this.category;
		double loads = loads("list");
		this.http.get().uri(page).exchange().expectBody().jsonPath("$.items.length()").isEqualTo(1);
		this.fixtures.product(this.vendor, this.category, "Listed Jug", 200, 1, "ACTIVE");
		this.http.get()
			.uri(page)
			.exchange()
			.expectBody()
			.jsonPath("$.items.length()")
			.isEqualTo(1)
			.jsonPath("$.items[0].id")
			.isEqualTo(first.toString());
		assertThat(loads("list") - loads).isEqualTo(1);

		this.catalog.listingsChanged().block();
		this.http.get().uri(page).exchange().expectBody().jsonPath("$.items.length()").isEqualTo(2);
	}

	@Test
	void aSlowRedisIsWaitedForBrieflyThenThePathGoesToTheDatabase() {
		UUID id = this.fixtures.product(this.vendor, this.category, "Patient Kettle", 4_200, 5, "ACTIVE");
		double unavailable = count("product", "unavailable");
		// Redis stops answering every client for three seconds, as a stalled server
		// would.
		pauseRedis(Duration.ofSeconds(3));
		try {
			priceOf(id, 4_200);
			this.http.get()
				.uri("/api/v1/products?categoryId=" + this.category)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.items[0].id")
				.isEqualTo(id.toString());
			assertThat(count("product", "unavailable")).isGreaterThan(unavailable);
		}
		finally {
			await().atMost(Duration.ofSeconds(10))
				.ignoreExceptions()
				.until(() -> "PONG".equals(this.redisTemplate.execute((connection) -> connection.ping())
					.blockFirst(Duration.ofSeconds(5))));
		}
	}

	@Test
	void aChangeMadeWhileRedisStalledReplacesTheCachedCopyOnceRedisAnswers() {
		UUID id = this.fixtures.product(this.vendor, this.category, "Stubborn Kettle", 5_000, 5, "ACTIVE");
		priceOf(id, 5_000);
		DataServices.Endpoint endpoint = DataServices.redis();
		RedisClient client = RedisClient.create(RedisURI.create(endpoint.host(), endpoint.port()));
		try (StatefulRedisConnection<String, String> admin = client.connect()) {
			// Redis holds every write, then drops the connections they came on: the cache
			// write of the change is lost, not merely late
			admin.sync()
				.dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8),
						new CommandArgs<>(StringCodec.UTF8).add("PAUSE").add(10_000).add("WRITE"));
			Product changed = this.db.sql("update products set price_minor = 4000 where id = :id returning *")
				.bind("id", id)
				.map(ProductRepository::product)
				.one()
				.block(Duration.ofSeconds(5));
			this.catalog.productChanged(changed).block(Duration.ofSeconds(5));
			admin.sync().clientKill(KillArgs.Builder.typeNormal().skipme());
			admin.sync()
				.dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8),
						new CommandArgs<>(StringCodec.UTF8).add("UNPAUSE"));
		}
		finally {
			client.shutdown();
			await().atMost(Duration.ofSeconds(10))
				.ignoreExceptions()
				.until(() -> "PONG".equals(this.redisTemplate.execute((connection) -> connection.ping())
					.blockFirst(Duration.ofSeconds(5))));
		}
		// Redis answers again and held the old copy: the retried write replaces it
		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(50))
			.untilAsserted(() -> assertThat(this.catalog.product(id).block(Duration.ofSeconds(5)).priceMinor())
				.isEqualTo(4_000));
	}

	private long getConcurrently(UUID id, int requests) {
		WebClient client = WebClient.create("http://localhost:" + this.port);
		return Flux.range(0, requests)
			.flatMap((n) -> client.get().uri("/api/v1/products/{id}", id).retrieve().toBodilessEntity(), requests)
			.filter((response) -> response.getStatusCode().is2xxSuccessful())
			.count()
			.block(Duration.ofSeconds(30));
	}

	@Test
	void aHungRedisOpensTheBreakerSoThatReadsStopWaitingForItAndItClosesWhenRedisAnswers() {
		assertThat(this.cache.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
		// Redis stops answering for long enough that reads time out (1 s each here) until
		// half of the breaker's last ten calls have failed (at most ten reads)
		pauseRedis(Duration.ofSeconds(12));
		try {
			for (int i = 0; i < 10 && this.cache.breakerState() != CircuitBreaker.State.OPEN; i++) {
				assertThat(new String(this.catalog.categories().block(Duration.ofSeconds(5)).bytes(),
						StandardCharsets.UTF_8))
					.contains("\"items\"");
			}
			assertThat(this.cache.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
			// still answered, from PostgreSQL, without asking Redis
			assertThat(
					new String(this.catalog.categories().block(Duration.ofSeconds(5)).bytes(), StandardCharsets.UTF_8))
				.contains("\"items\"");
		}
		finally {
			await().atMost(Duration.ofSeconds(15))
				.ignoreExceptions()
				.until(() -> "PONG".equals(this.redisTemplate.execute((connection) -> connection.ping())
					.blockFirst(Duration.ofSeconds(5))));
		}
		// Redis answers again: trial calls after breaker-open-for close the breaker
		await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
			this.catalog.categories().block(Duration.ofSeconds(5));
			assertThat(this.cache.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
		});
	}

	private static void pauseRedis(Duration pause) {
		DataServices.Endpoint endpoint = DataServices.redis();
		RedisClient client = RedisClient.create(RedisURI.create(endpoint.host(), endpoint.port()));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			connection.sync().clientPause(pause.toMillis());
		}
		finally {
			client.shutdown();
		}
	}

	private void priceOf(UUID id, long price) {
		this.http.get()
			.uri("/api/v1/products/{id}", id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.priceMinor")
			.isEqualTo(price);
	}

	private double loads(String cache) {
		return this.meters.get("aqad.catalog.cache.loads").tag("cache", cache).counter().count();
	}

	private double count(String cache, String result) {
		return this.meters.get("aqad.catalog.cache").tag("cache", cache).tag("result", result).counter().count();
	}

}
