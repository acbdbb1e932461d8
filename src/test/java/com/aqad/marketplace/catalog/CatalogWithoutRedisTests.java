package com.aqad.marketplace.catalog;

import java.io.IOException;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.aqad.marketplace.platform.devservices.ApiTest;
import com.aqad.marketplace.platform.devservices.DataServices;
import com.aqad.marketplace.platform.redis.RedisAvailability;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis is down (nothing listens where it should be): the catalog answers from
 * PostgreSQL.
 */
@ApiTest
class CatalogWithoutRedisTests {

	@DynamicPropertySource
	static void redisWhereNothingListens(DynamicPropertyRegistry registry) throws IOException {
		DataServices.unreachableRedis(registry);
	}

	@Autowired
	private WebTestClient http;

	@Autowired
	private DatabaseClient db;

	@Autowired
	private CatalogService catalog;

	@Autowired
	private RedisAvailability redis;

	@Test
	void theInstanceStaysReadyWhileRedisIsDown(@Autowired org.springframework.core.env.Environment environment) {
		String port = environment.getProperty("local.management.port",
				environment.getProperty("local.server.port", ""));
		WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + port)
			.build()
			.get()
			.uri("/actuator/health/readiness")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP");
	}

	@Test
	void productsListsAndCategoriesAreServedFromTheDatabase() {
		CatalogFixtures fixtures = new CatalogFixtures(this.db, this.catalog);
		UUID vendor = fixtures.vendor();
		UUID category = fixtures.category();
		UUID id = fixtures.product(vendor, category, "Offline Kettle", 990, 2, "ACTIVE");
		assertThat(this.redis.isOpen()).isFalse();

		this.http.get()
			.uri("/api/v1/products/{id}", id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.priceMinor")
			.isEqualTo(990);
		this.http.get()
			.uri("/api/v1/products?categoryId={c}", category)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.items[0].id")
			.isEqualTo(id.toString());
		this.http.get()
			.uri("/api/v1/categories")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.items[?(@.id == '%s')]".formatted(category))
			.exists();
		this.http.get().uri("/api/v1/products/{id}", UUID.randomUUID()).exchange().expectStatus().isNotFound();
	}

	@Test
	void writesAcknowledgeEvenThoughTheCacheCannotBeTold() {
		CatalogFixtures fixtures = new CatalogFixtures(this.db, this.catalog);
		UUID id = fixtures.product(fixtures.vendor(), fixtures.category(), "Offline Mug", 100, 2, "ACTIVE");
		Product changed = fixtures.update(id, "price_minor = 150");
		this.catalog.productChanged(changed).block();
		this.http.get()
			.uri("/api/v1/products/{id}", id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.priceMinor")
			.isEqualTo(150);
	}

}
