package com.aqad.marketplace.ordering;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

import com.aqad.marketplace.identity.Role;
import com.aqad.marketplace.identity.TestAccounts.SignedIn;
import com.aqad.marketplace.platform.devservices.ApiTest;
import com.aqad.marketplace.platform.devservices.OtherInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A product's stock as {@code GET /products/{id}} shows it follows orders and
 * cancellations on every instance within a second, ETag included, although both instances
 * keep the product in memory and in Redis.
 */
@ApiTest(properties = "management.server.port=0")
class StockFreshnessTests {

	private static ConfigurableApplicationContext other;

	@Autowired
	private WebTestClient http;

	@Autowired
	private DatabaseClient db;

	@LocalServerPort
	private int port;

	private Shop shop;

	private SignedIn retailer;

	private WebTestClient otherHttp;

	@BeforeAll
	static void startOtherInstance() {
		other = OtherInstance.start("aqad.ratelimit.shadow=true");
	}

	@AfterAll
	static void stopOtherInstance() {
		other.close();
	}

	@BeforeEach
	void shop() {
		this.shop = new Shop(this.http, this.db);
		this.retailer = this.shop.accounts.register(Role.RETAILER);
		this.otherHttp = WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + OtherInstance.port(other))
			.responseTimeout(Duration.ofSeconds(10))
			.build();
	}

	@Test
	void anOrderOnOneInstanceIsSeenInTheStockAndEtagOfEveryInstanceWithinASecond() {
		UUID product = this.shop.product(500, 100);
		// both instances hold the product now (in memory and in Redis)
		String before = etag(this.http, product);
		assertThat(etag(this.otherHttp, product)).isEqualTo(before);
		assertThat(stock(this.http, product)).isEqualTo(100);
		assertThat(stock(this.otherHttp, product)).isEqualTo(100);

		this.shop.place(this.retailer, Shop.order(product, 2)).expectStatus().isCreated();

		for (WebTestClient instance : List.of(this.http, this.otherHttp)) {
			await().atMost(Duration.ofSeconds(1))
				.pollInterval(Duration.ofMillis(20))
				.untilAsserted(() -> assertThat(stock(instance, product)).isEqualTo(98));
			assertThat(etag(instance, product)).isNotEqualTo(before);
		}
	}

	@Test
	void aCancellationGivesTheStockBackOnEveryInstance() {
		UUID product = this.shop.product(500, 10);
		JsonNode order = this.shop.placed(this.retailer, Shop.order(product, 4));
		assertThat(stock(this.otherHttp, product)).isEqualTo(6);
		assertThat(stock(this.http, product)).isEqualTo(6);

		this.shop.post(this.retailer, "/api/v1/orders/" + order.get("id").stringValue() + "/cancel", null)
			.expectStatus()
			.isOk();

		for (WebTestClient instance : List.of(this.http, this.otherHttp)) {
			await().atMost(Duration.ofSeconds(1))
				.pollInterval(Duration.ofMillis(20))
				.untilAsserted(() -> assertThat(stock(instance, product)).isEqualTo(10));
		}
	}

	@Test
	void aVendorCanUpdateWithTheEtagItReadAfterAnOrder() {
		UUID product = this.shop.product(500, 100);
		stock(this.otherHttp, product);
		this.shop.place(this.retailer, Shop.order(product, 1)).expectStatus().isCreated();
		await().atMost(Duration.ofSeconds(1))
			.pollInterval(Duration.ofMillis(20))
			.untilAsserted(() -> assertThat(stock(this.otherHttp, product)).isEqualTo(99));
		this.http.patch()
			.uri("/api/v1/products/{id}", product)
			.headers(this.shop.vendor::bearer)
			.header("If-Match", etag(this.otherHttp, product))
			.header("Content-Type", "application/json")
			.bodyValue("{\"stock\":150}")
			.exchange()
			.expectStatus()
			.isOk();
	}

	@Test
	void aFlashSaleEndsWithTheExactStockOnEveryInstance() {
		UUID product = this.shop.product(100, 60);
		stock(this.http, product);
		stock(this.otherHttp, product);
		WebClient client = Shop.concurrentClient(this.port, 50);
		List<Shop.Answer> answers = Flux.range(0, 100)
			.flatMap((i) -> Shop.send(client, this.retailer.accessToken(), null, Shop.order(product, 1)), 50)
			.collectList()
			.block(Duration.ofSeconds(60));
		assertThat(answers).filteredOn((answer) -> answer.status() == 201).hasSize(60);
		for (WebTestClient instance : List.of(this.http, this.otherHttp)) {
			await().atMost(Duration.ofSeconds(1))
				.pollInterval(Duration.ofMillis(20))
				.untilAsserted(() -> assertThat(stock(instance, product)).isZero());
		}
	}

	private static int stock(WebTestClient instance, UUID product) {
		return instance.get()
			.uri("/api/v1/products/{id}", product)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.get("stock")
			.intValue();
	}

	private static String etag(WebTestClient instance, UUID product) {
		return instance.get()
			.uri("/api/v1/products/{id}", product)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseHeaders()
			.getETag();
	}

}
