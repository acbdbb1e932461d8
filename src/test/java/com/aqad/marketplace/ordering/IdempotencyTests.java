package com.aqad.marketplace.ordering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.aqad.marketplace.identity.Role;
import com.aqad.marketplace.identity.TestAccounts.SignedIn;
import com.aqad.marketplace.platform.devservices.ApiTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

@ApiTest
class IdempotencyTests {

	@Autowired
	private WebTestClient http;

	@Autowired
	private DatabaseClient db;

	@Autowired
	private JsonMapper json;

	@LocalServerPort
	private int port;

	private Shop shop;

	private SignedIn retailer;

	@BeforeEach
	void shop() {
		this.shop = new Shop(this.http, this.db);
		this.retailer = this.shop.accounts.register(Role.RETAILER);
	}

	@Test
	void sixteenRacingRequestsWithOneKeyPlaceOneOrder() {
		UUID product = this.shop.product(500, 100);
		String key = UUID.randomUUID().toString();
		WebClient client = Shop.concurrentClient(this.port, 16);
		List<Shop.Answer> answers = Flux.range(0, 16)
			.flatMap((i) -> Shop.send(client, this.retailer.accessToken(), key, Shop.order(product, 3)), 16)
			.collectList()
			.block(Duration.ofSeconds(30));

		assertThat(ordersOfRetailer()).isEqualTo(1);
		assertThat(this.shop.stock(product)).isEqualTo(97);
		assertThat(answers).extracting(Shop.Answer::status).isSubsetOf(201, 409);
		// one request ran; every other one was told it runs, or was given its answer
		assertThat(answers).filteredOn((answer) -> answer.status() == 201 && answer.replayed() == null).hasSize(1);
		assertThat(answers).filteredOn((answer) -> answer.status() == 409)
			.allSatisfy((answer) -> assertThat(answer.body()).contains("request_in_progress"));
		assertThat(answers).filteredOn((answer) -> answer.status() == 201)
			.extracting((answer) -> this.json.readTree(answer.body()).get("id").stringValue())
			.containsOnly(orderId());

		// once finished, every retry gets the first answer again
		Shop.Answer retry = Shop.send(client, this.retailer.accessToken(), key, Shop.order(product, 3))
			.block(Duration.ofSeconds(10));
		assertThat(retry.status()).isEqualTo(201);
		assertThat(retry.replayed()).isEqualTo("true");
		JsonNode replayed = this.json.readTree(retry.body());
		assertThat(replayed.get("id").stringValue()).isEqualTo(orderId());
		assertThat(replayed.get("totalMinor").longValue()).isEqualTo(1_500);
		assertThat(this.shop.stock(product)).isEqualTo(97);
	}

	@Test
	void aKeyReusedForAnotherRequestIsRefused() {
		UUID product = this.shop.product(500, 100);
		String key = "order-" + UUID.randomUUID();
		keyed(this.retailer, key, Shop.order(product, 1)).expectStatus().isCreated();
		keyed(this.retailer, key, Shop.order(product, 2)).expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("idempotency_key_reused");
		assertThat(this.shop.stock(product)).isEqualTo(99);
		// keys are per caller: another retailer's same key is another request
		SignedIn other = this.shop.accounts.register(Role.RETAILER);
		keyed(other, key, Shop.order(product, 2)).expectStatus()
			.isCreated()
			.expectHeader()
			.doesNotExist("Idempotent-Replayed");
		assertThat(this.shop.stock(product)).isEqualTo(97);
	}

	@Test
	void aFailedRequestGivesItsKeyBack() {
		UUID product = this.shop.product(500, 1);
		String key = "order-" + UUID.randomUUID();
		keyed(this.retailer, key, Shop.order(product, 2)).expectStatus().isEqualTo(409);
		this.http.patch()
			.uri("/api/v1/products/{id}", product)
			.headers(this.shop.vendor::bearer)
			.contentType(org.springframework.http.MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("stock", 5))
			.exchange()
			.expectStatus()
			.isOk();
		keyed(this.retailer, key, Shop.order(product, 2)).expectStatus()
			.isCreated()
			.expectHeader()
			.doesNotExist("Idempotent-Replayed");
		assertThat(this.shop.stock(product)).isEqualTo(3);
	}

	@Test
	void aPaymentRetriedWithItsKeyIsRecordedOnce() {
		UUID product = this.shop.product(700, 10);
		JsonNode order = this.shop.placed(this.retailer, Shop.order(product, 2));
		String uri = "/api/v1/orders/" + order.get("id").stringValue() + "/payments";
		String key = "pay-" + UUID.randomUUID();
		Map<String, Object> payment = Map.of("amountMinor", 1_400, "method", "CARD", "reference", "auth-123");
		String first = this.http.post()
			.uri(uri)
			.headers(this.retailer::bearer)
			.header("Idempotency-Key", key)
			.bodyValue(payment)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		this.http.post()
			.uri(uri)
			.headers(this.retailer::bearer)
			.header("Idempotency-Key", key)
			.bodyValue(payment)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectHeader()
			.valueEquals("Idempotent-Replayed", "true")
			.expectBody(String.class)
			.isEqualTo(first);
		this.http.get()
			.uri(uri)
			.headers(this.retailer::bearer)
			.exchange()
			.expectBody()
			.jsonPath("$.items.length()")
			.isEqualTo(1);
	}

	private WebTestClient.ResponseSpec keyed(SignedIn caller, String key, Map<String, Object> body) {
		return this.http.post()
			.uri("/api/v1/orders")
			.headers(caller::bearer)
			.header("Idempotency-Key", key)
			.bodyValue(body)
			.exchange();
	}

	private long ordersOfRetailer() {
		return this.db.sql("select count(*) from orders where retailer_id = :r")
			.bind("r", this.retailer.organizationId())
			.map((row) -> row.get(0, Long.class))
			.one()
			.block();
	}

	private String orderId() {
		return this.db.sql("select id from orders where retailer_id = :r")
			.bind("r", this.retailer.organizationId())
			.map((row) -> row.get("id", UUID.class).toString())
			.one()
			.block();
	}

	/**
	 * The client of the first attempt gives up while its order waits for the product's
	 * row (locked here); a retry with the same key is not refused as "in progress" for
	 * the lease's 30 s, and the two attempts place one order.
	 */
	@Test
	void aRetryOfAnAbandonedRequestIsNotRefusedAsInProgress(@Autowired ConnectionFactory connections) throws Exception {
		UUID product = this.shop.product(500, 10);
		String key = UUID.randomUUID().toString();
		Connection lock = Mono.from(connections.create()).block(Duration.ofSeconds(5));
		try {
			Mono.from(lock.beginTransaction()).block(Duration.ofSeconds(5));
			Flux.from(lock.createStatement("select id from products where id = $1 for update")
				.bind("$1", product)
				.execute()).flatMap((result) -> result.map((row, meta) -> 1)).blockLast(Duration.ofSeconds(5));
			WebClient impatient = WebClient.builder()
				.baseUrl("http://localhost:" + this.port)
				.clientConnector(
						new ReactorClientHttpConnector(HttpClient.create().responseTimeout(Duration.ofMillis(300))))
				.build();
			assertThatThrownBy(() -> Shop.send(impatient, this.retailer.accessToken(), key, Shop.order(product, 2))
				.block(Duration.ofSeconds(10))).as("the first attempt is abandoned").isNotNull();
			CompletableFuture<Shop.Answer> retry = Shop
				.send(Shop.concurrentClient(this.port, 1), this.retailer.accessToken(), key, Shop.order(product, 2))
				.toFuture();
			await().during(Duration.ofMillis(700))
				.atMost(Duration.ofSeconds(2))
				.until(() -> !retry.isDone() || retry.get().status() != 409);
			Mono.from(lock.rollbackTransaction()).block(Duration.ofSeconds(5));
			Shop.Answer answer = retry.get(10, TimeUnit.SECONDS);
			assertThat(answer.status()).as(answer.body()).isEqualTo(201);
		}
		finally {
			Mono.from(lock.close()).block(Duration.ofSeconds(5));
		}
		assertThat(this.shop.stock(product)).isEqualTo(8);
		assertThat(this.db.sql("select count(*) from order_lines where product_id = :product")
			.bind("product", product)
			.map((row) -> row.get(0, Long.class))
			.one()
			.block()).isEqualTo(1);
	}

}
