package com.aqad.marketplace.ordering;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;

import com.aqad.marketplace.identity.Role;
import com.aqad.marketplace.identity.TestAccounts;
import com.aqad.marketplace.identity.TestAccounts.SignedIn;

import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A vendor with products, and retailers to order them, made through the API; plus a
 * client for many concurrent requests.
 */
final class Shop {

	final WebTestClient http;

	final DatabaseClient db;

	final TestAccounts accounts;

	final SignedIn vendor;

	final UUID category;

	Shop(WebTestClient http, DatabaseClient db) {
		this.http = http;
		this.db = db;
		this.accounts = new TestAccounts(http);
		this.vendor = this.accounts.register(Role.VENDOR);
		String slug = "orders-" + UUID.randomUUID();
		this.category = db.sql("insert into categories (name, slug) values ('Orders test', :slug) returning id")
			.bind("slug", slug)
			.map((row) -> row.get("id", UUID.class))
			.one()
			.block();
	}

	/**
	 * A new ACTIVE product of {@code owner} with this price and stock.
	 */
	UUID product(SignedIn owner, long priceMinor, int stock) {
		JsonNode created = TestAccounts.json(this.http.post()
			.uri("/api/v1/products")
			.headers(owner::bearer)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("sku", "P-" + UUID.randomUUID(), "name", "Product " + priceMinor, "categoryId",
					this.category.toString(), "priceMinor", priceMinor, "currency", "EUR", "stock", stock))
			.exchange()
			.expectStatus()
			.isCreated());
		return UUID.fromString(created.get("id").stringValue());
	}

	UUID product(long priceMinor, int stock) {
		return product(this.vendor, priceMinor, stock);
	}

	int stock(UUID product) {
		return this.db.sql("select stock from products where id = :id")
			.bind("id", product)
			.map((row) -> row.get("stock", Integer.class))
			.one()
			.block();
	}

	static Map<String, Object> order(Object... productAndQuantity) {
		List<Map<String, Object>> lines = new java.util.ArrayList<>();
		for (int i = 0; i < productAndQuantity.length; i += 2) {
			lines.add(Map.of("productId", productAndQuantity[i].toString(), "quantity", productAndQuantity[i + 1]));
		}
		return Map.of("lines", lines);
	}

	WebTestClient.ResponseSpec place(SignedIn retailer, Map<String, Object> body) {
		return this.http.post()
			.uri("/api/v1/orders")
			.headers(retailer::bearer)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

	/**
	 * Places an order that must succeed; its JSON.
	 */
	JsonNode placed(SignedIn retailer, Map<String, Object> body) {
		return TestAccounts.json(place(retailer, body).expectStatus().isCreated());
	}

	WebTestClient.ResponseSpec post(SignedIn caller, String uri, Object body) {
		WebTestClient.RequestBodySpec request = this.http.post().uri(uri).headers(caller::bearer);
		return (body != null) ? request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
				: request.exchange();
	}

	/**
	 * A client for many requests at once against the server on {@code port}.
	 */
	static WebClient concurrentClient(int port, int connections) {
		ConnectionProvider pool = ConnectionProvider.builder("orders-test")
			.maxConnections(connections)
			.pendingAcquireMaxCount(-1)
			.build();
		return WebClient.builder()
			.baseUrl("http://localhost:" + port)
			.clientConnector(
					new ReactorClientHttpConnector(HttpClient.create(pool).responseTimeout(Duration.ofSeconds(30))))
			.build();
	}

	/**
	 * The status and body of one request made with {@link #concurrentClient}.
	 */
	record Answer(int status, String body, String replayed) {
	}

	static Mono<Answer> send(WebClient client, String token, String key, Map<String, Object> body) {
		return client.post().uri("/api/v1/orders").headers((headers) -> {
			headers.setBearerAuth(token);
			if (key != null) {
				headers.set("Idempotency-Key", key);
			}
		})
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchangeToMono((response) -> response.bodyToMono(String.class)
				.defaultIfEmpty("")
				.map((text) -> new Answer(response.statusCode().value(), text,
						response.headers().asHttpHeaders().getFirst("Idempotent-Replayed"))));
	}

}
