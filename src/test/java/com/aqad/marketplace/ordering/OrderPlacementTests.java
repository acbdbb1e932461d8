package com.aqad.marketplace.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

import com.aqad.marketplace.identity.Role;
import com.aqad.marketplace.identity.TestAccounts;
import com.aqad.marketplace.identity.TestAccounts.SignedIn;
import com.aqad.marketplace.platform.devservices.ApiTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

// a long sold-out hint, so that the test can tell a hint's refusal from the database's
@ApiTest(properties = { "management.server.port=0", "aqad.ordering.sold-out-hint=1m" })
class OrderPlacementTests {

	@Autowired
	private WebTestClient http;

	@Autowired
	private DatabaseClient db;

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
	void placingOrdersConcurrentlyNeverOversells() {
		UUID product = this.shop.product(1_000, 50);
		WebClient client = Shop.concurrentClient(this.port, 100);
		List<Shop.Answer> answers = Flux.range(0, 200)
			.flatMap((i) -> Shop.send(client, this.retailer.accessToken(), null, Shop.order(product, 1)), 100)
			.collectList()
			.block(Duration.ofSeconds(60));
		assertThat(answers).filteredOn((answer) -> answer.status() == 201).hasSize(50);
		assertThat(answers).filteredOn((answer) -> answer.status() == 409)
			.hasSize(150)
			.allSatisfy((answer) -> assertThat(answer.body()).contains("\"code\":\"insufficient_stock\""));
		assertThat(this.shop.stock(product)).isZero();
		assertThat(count("select count(*) from order_lines where product_id = :p", product)).isEqualTo(50);
	}

	@Test
	void concurrentOrdersOfSeveralUnitsNeverTakeMoreThanTheStock() {
		UUID product = this.shop.product(250, 10);
		WebClient client = Shop.concurrentClient(this.port, 50);
		List<Shop.Answer> answers = Flux.range(0, 50)
			.flatMap((i) -> Shop.send(client, this.retailer.accessToken(), null, Shop.order(product, 3)), 50)
			.collectList()
			.block(Duration.ofSeconds(60));
		// three orders of 3 fit in 10; the fourth would take 12
		assertThat(answers).filteredOn((answer) -> answer.status() == 201).hasSize(3);
		assertThat(answers).filteredOn((answer) -> answer.status() == 409).hasSize(47);
		assertThat(this.shop.stock(product)).isEqualTo(1);
		assertThat(count("select coalesce(sum(quantity), 0) from order_lines where product_id = :p", product))
			.isEqualTo(9);
		assertThat(count("select count(*) from order_events e join order_lines l on l.order_id = e.order_id"
				+ " where l.product_id = :p and e.type = 'order.created'", product))
			.isEqualTo(3);
	}

	@Test
	void multiLineOrdersRacingInOppositeLineOrdersNeverDeadlock() {
		UUID a = this.shop.product(100, 1_000);
		UUID b = this.shop.product(200, 1_000);
		WebClient client = Shop.concurrentClient(this.port, 100);
		List<Shop.Answer> answers = Flux.range(0, 200)
			.flatMap((i) -> Shop.send(client, this.retailer.accessToken(), null,
					(i % 2 == 0) ? Shop.order(a, 1, b, 2) : Shop.order(b, 2, a, 1)), 100)
			.collectList()
			.block(Duration.ofSeconds(60));
		assertThat(answers).extracting(Shop.Answer::status).containsOnly(201);
		assertThat(this.shop.stock(a)).isEqualTo(800);
		assertThat(this.shop.stock(b)).isEqualTo(600);
	}

	@Test
	void pricesAndTotalsComeFromTheCatalog() {
		UUID a = this.shop.product(1_250, 10);
		UUID b = this.shop.product(99, 10);
		JsonNode order = TestAccounts.json(this.shop
			.place(this.retailer, Map.of("lines",
					List.of(Map.of("productId", a.toString(), "quantity", 2),
							Map.of("productId", b.toString(), "quantity", 3)),
					"note", "leave at the back door"))
			.expectStatus()
			.isCreated()
			.expectHeader()
			.valueMatches("Location", ".*/api/v1/orders/[0-9a-f-]{36}"));
		assertThat(order.get("status").stringValue()).isEqualTo("PLACED");
		assertThat(order.get("paymentStatus").stringValue()).isEqualTo("UNPAID");
		assertThat(order.get("retailerId").stringValue()).isEqualTo(this.retailer.organizationId().toString());
		assertThat(order.get("vendorId").stringValue()).isEqualTo(this.shop.vendor.organizationId().toString());
		assertThat(order.get("totalMinor").longValue()).isEqualTo(2 * 1_250 + 3 * 99);
		assertThat(order.get("currency").stringValue()).isEqualTo("EUR");
		assertThat(order.get("lines").get(1).get("unitPriceMinor").longValue()).isEqualTo(99);
		assertThat(order.get("lines").get(1).get("lineTotalMinor").longValue()).isEqualTo(297);
		assertThat(this.shop.stock(a)).isEqualTo(8);
		// a price sent by the client is not a field of an order
		this.shop
			.place(this.retailer,
					Map.of("lines", List.of(Map.of("productId", a.toString(), "quantity", 1, "unitPriceMinor", 1))))
			.expectStatus()
			.isBadRequest();
	}

	@Test
	void aShortLineRefusesTheWholeOrderAndIsNamed() {
		UUID plenty = this.shop.product(100, 10);
		UUID scarce = this.shop.product(100, 3);
		this.shop.place(this.retailer, Shop.order(plenty, 5, scarce, 4))
			.expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("insufficient_stock")
			.jsonPath("$.errors[0].field")
			.isEqualTo("lines[1].quantity")
			.jsonPath("$.errors.length()")
			.isEqualTo(1);
		assertThat(this.shop.stock(plenty)).isEqualTo(10);
		assertThat(this.shop.stock(scarce)).isEqualTo(3);
	}

	@Test
	void linesMustBeProductsOnSaleOfOneVendor() {
		SignedIn otherVendor = this.shop.accounts.register(Role.VENDOR);
		UUID mine = this.shop.product(100, 10);
		UUID theirs = this.shop.product(otherVendor, 100, 10);
		this.shop.place(this.retailer, Shop.order(mine, 1, theirs, 1))
			.expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("multiple_vendors");
		UUID archived = this.shop.product(100, 10);
		this.http.delete().uri("/api/v1/products/{id}", archived).headers(this.shop.vendor::bearer).exchange();
		this.shop.place(this.retailer, Shop.order(mine, 1, archived, 1, UUID.randomUUID(), 1))
			.expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("product_unavailable")
			.jsonPath("$.errors[*].field")
			.value((fields) -> assertThat(fields.toString()).contains("lines[1].productId", "lines[2].productId"));
		assertThat(this.shop.stock(mine)).isEqualTo(10);
	}

	@Test
	void badOrdersAreRefusedWithEveryProblemNamed() {
		UUID product = this.shop.product(100, 10);
		this.shop.place(this.retailer, Shop.order(product, 0, product, 10_001, "nope", 1))
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[*].field")
			.value((fields) -> assertThat(fields.toString()).contains("lines[0].quantity", "lines[1].quantity",
					"lines[1].productId", "lines[2].productId"));
		this.shop.place(this.retailer, Map.of("lines", List.of())).expectStatus().isBadRequest();
		// only retailers order
		this.shop.place(this.shop.vendor, Shop.order(product, 1)).expectStatus().isForbidden();
		assertThat(this.shop.stock(product)).isEqualTo(10);
	}

	@Test
	void aSoldOutProductIsRefusedFromTheHintUntilRestockedThroughTheApi() {
		UUID product = this.shop.product(100, 1);
		this.shop.placed(this.retailer, Shop.order(product, 1));
		// stock comes back behind the API's back: the hint still refuses, without asking
		this.db.sql("update products set stock = 5 where id = :id").bind("id", product).then().block();
		this.shop.place(this.retailer, Shop.order(product, 1))
			.expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.errors[0].message")
			.isEqualTo("sold out");
		// a restock through the API ends the hint at once
		this.http.patch()
			.uri("/api/v1/products/{id}", product)
			.headers(this.shop.vendor::bearer)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("stock", 6))
			.exchange()
			.expectStatus()
			.isOk();
		this.shop.placed(this.retailer, Shop.order(product, 1));
		assertThat(this.shop.stock(product)).isEqualTo(5);
	}

	@Test
	void cancellingAnOrderGivesItsStockBackAndEndsTheSoldOutHint() {
		UUID product = this.shop.product(100, 2);
		JsonNode order = this.shop.placed(this.retailer, Shop.order(product, 2));
		this.shop.place(this.retailer, Shop.order(product, 1)).expectStatus().isEqualTo(409);
		this.shop.post(this.retailer, "/api/v1/orders/" + order.get("id").stringValue() + "/cancel", null)
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("CANCELLED");
		assertThat(this.shop.stock(product)).isEqualTo(2);
		this.shop.placed(this.retailer, Shop.order(product, 1));
	}

	private long count(String sql, UUID product) {
		return this.db.sql(sql).bind("p", product).map((row) -> row.get(0, Long.class)).one().block();
	}

}
