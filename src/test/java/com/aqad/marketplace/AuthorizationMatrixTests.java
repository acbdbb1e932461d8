package com.aqad.marketplace;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import com.aqad.marketplace.identity.Role;
import com.aqad.marketplace.identity.TestAccounts;
import com.aqad.marketplace.identity.TestAccounts.SignedIn;
import com.aqad.marketplace.platform.devservices.ApiTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every protected route × every kind of caller × own or another organization's resource,
 * with the exact status each must get. Dropping any route rule or ownership rule turns
 * some row red: an undeclared route is refused to everyone, so the rows that expect
 * success fail.
 */
@ApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixTests {

	/**
	 * Who calls: no credentials, a token of each role, or an API key of the owning
	 * vendor.
	 */
	enum Who {

		ANONYMOUS, ADMIN, OWNER, OTHER_VENDOR, RETAILER, DELIVERY, OWNER_KEY_CATALOG, OWNER_KEY_ORDERS

	}

	@Autowired
	private WebTestClient http;

	@Autowired
	private DatabaseClient db;

	private TestAccounts accounts;

	private final Map<Who, Consumer<HttpHeaders>> credentials = new EnumMap<>(Who.class);

	private SignedIn owner;

	private String category;

	private String activeProduct;

	private String draftProduct;

	@BeforeAll
	void callersAndResources() {
		this.accounts = new TestAccounts(this.http);
		this.owner = this.accounts.register(Role.VENDOR);
		String keyCatalog = this.accounts.apiKey(this.owner, "catalog:read");
		String keyOrders = this.accounts.apiKey(this.owner, "orders:read");
		this.credentials.put(Who.ANONYMOUS, (headers) -> {
		});
		this.credentials.put(Who.ADMIN, this.accounts.admin()::bearer);
		this.credentials.put(Who.OWNER, this.owner::bearer);
		this.credentials.put(Who.OTHER_VENDOR, this.accounts.register(Role.VENDOR)::bearer);
		this.credentials.put(Who.RETAILER, this.accounts.register(Role.RETAILER)::bearer);
		this.credentials.put(Who.DELIVERY, this.accounts.create(Role.DELIVERY, null)::bearer);
		this.credentials.put(Who.OWNER_KEY_CATALOG, (headers) -> headers.set("X-API-Key", keyCatalog));
		this.credentials.put(Who.OWNER_KEY_ORDERS, (headers) -> headers.set("X-API-Key", keyOrders));
		this.category = this.db.sql("insert into categories (name, slug) values ('Matrix', :slug) returning id::text")
			.bind("slug", "matrix-" + Long.toHexString(System.nanoTime()))
			.map((row) -> row.get(0, String.class))
			.one()
			.block();
		this.activeProduct = newProduct("ACTIVE");
		this.draftProduct = newProduct("DRAFT");
	}

	@TestFactory
	Stream<DynamicTest> everyRouteAnswersEveryCallerWithTheExactStatus() {
		List<Row> rows = new ArrayList<>();
		// the public catalog
		rows.add(row(HttpMethod.GET, "/api/v1/products", () -> "/api/v1/products", null, all(200)));
		rows.add(row(HttpMethod.GET, "/api/v1/categories", () -> "/api/v1/categories", null, all(200)));
		rows.add(row(HttpMethod.GET, "/api/v1/products/{active}", () -> "/api/v1/products/" + this.activeProduct, null,
				all(200)));
		rows.add(row(HttpMethod.GET, "/api/v1/products/{draft}", () -> "/api/v1/products/" + this.draftProduct, null,
				expect(404, 200, 200, 404, 404, 404, 200, 404)));
		// catalog writes: vendors create their own; owner or admin change; others 403 on
		// what they see, 404 on what they do not
		rows.add(row(HttpMethod.POST, "/api/v1/products", () -> "/api/v1/products", this::productBody,
				expect(401, 403, 201, 201, 403, 403, 403, 403)));
		rows.add(row(HttpMethod.PATCH, "/api/v1/products/{active}", () -> "/api/v1/products/" + this.activeProduct,
				() -> Map.of("stock", 5), expect(401, 200, 200, 403, 403, 403, 403, 403)));
		rows.add(row(HttpMethod.PATCH, "/api/v1/products/{draft}", () -> "/api/v1/products/" + this.draftProduct,
				() -> Map.of("stock", 5), expect(401, 200, 200, 404, 403, 403, 403, 403)));
		rows.add(row(HttpMethod.DELETE, "/api/v1/products/{new active}",
				() -> "/api/v1/products/" + newProduct("ACTIVE"), null,
				expect(401, 204, 204, 403, 403, 403, 403, 403)));
		rows.add(row(HttpMethod.DELETE, "/api/v1/products/{new draft}", () -> "/api/v1/products/" + newProduct("DRAFT"),
				null, expect(401, 204, 204, 404, 403, 403, 403, 403)));
		rows.add(row(HttpMethod.POST, "/api/v1/categories", () -> "/api/v1/categories", this::categoryBody,
				expect(401, 201, 403, 403, 403, 403, 403, 403)));
		// administration
		rows.add(row(HttpMethod.GET, "/api/v1/admin/accounts", () -> "/api/v1/admin/accounts", null,
				expect(401, 200, 403, 403, 403, 403, 403, 403)));
		rows.add(row(HttpMethod.POST, "/api/v1/admin/accounts", () -> "/api/v1/admin/accounts",
				this::deliveryAccountBody, expect(401, 201, 403, 403, 403, 403, 403, 403)));
		rows.add(row(HttpMethod.POST, "/api/v1/admin/accounts/{retailer}/suspend",
				() -> "/api/v1/admin/accounts/" + this.accounts.register(Role.RETAILER).accountId() + "/suspend", null,
				expect(401, 204, 403, 403, 403, 403, 403, 403)));
		// the caller's own account, sessions and keys: bearer tokens only
		rows.add(row(HttpMethod.GET, "/api/v1/me", () -> "/api/v1/me", null,
				expect(401, 200, 200, 200, 200, 200, 403, 403)));
		rows.add(row(HttpMethod.GET, "/api/v1/auth/sessions", () -> "/api/v1/auth/sessions", null,
				expect(401, 200, 200, 200, 200, 200, 403, 403)));
		rows.add(row(HttpMethod.GET, "/api/v1/api-keys", () -> "/api/v1/api-keys", null,
				expect(401, 200, 200, 200, 200, 200, 403, 403)));
		rows.add(row(HttpMethod.POST, "/api/v1/api-keys", () -> "/api/v1/api-keys",
				() -> Map.of("name", "matrix", "scopes", List.of("catalog:read")),
				expect(401, 201, 201, 201, 201, 201, 403, 403)));
		rows.add(row(HttpMethod.DELETE, "/api/v1/auth/sessions/not-a-session-of-yours",
				() -> "/api/v1/auth/sessions/not-a-session-of-yours", null,
				expect(401, 404, 404, 404, 404, 404, 403, 403)));
		List<DynamicTest> tests = new ArrayList<>();
		for (Row row : rows) {
			row.expected()
				.forEach((who, status) -> tests
					.add(DynamicTest.dynamicTest(row.method() + " " + row.label() + " as " + who + " → " + status,
							() -> check(row, who, status))));
		}
		return tests.stream();
	}

	private void check(Row row, Who who, int expected) {
		String path = row.path().get();
		WebTestClient.RequestBodySpec request = this.http.method(row.method())
			.uri(path)
			.headers(this.credentials.get(who))
			.accept(MediaType.APPLICATION_JSON);
		WebTestClient.ResponseSpec response = (row.body() != null)
				? request.contentType(MediaType.APPLICATION_JSON).bodyValue(row.body().get()).exchange()
				: request.exchange();
		int status = response.returnResult(String.class).getStatus().value();
		assertThat(status).as("%s %s as %s", row.method(), path, who).isEqualTo(expected);
	}

	private String newProduct(String status) {
		Map<String, Object> body = new HashMap<>(productBody());
		body.put("status", status);
		JsonNode created = TestAccounts.json(this.http.post()
			.uri("/api/v1/products")
			.headers(this.owner::bearer)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isCreated());
		return created.get("id").stringValue();
	}

	private Map<String, Object> productBody() {
		return Map.of("sku", "M-" + Long.toHexString(ThreadLocalRandom.current().nextLong()), "name", "Matrix kettle",
				"priceMinor", 1_000, "currency", "EUR", "stock", 10, "categoryId", this.category);
	}

	private Map<String, Object> categoryBody() {
		return Map.of("name", "Matrix child", "slug",
				"matrix-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
	}

	private Map<String, Object> deliveryAccountBody() {
		return Map.of("email", TestAccounts.uniqueEmail(Role.DELIVERY), "password", TestAccounts.PASSWORD, "role",
				"DELIVERY");
	}

	private static Map<Who, Integer> all(int status) {
		Map<Who, Integer> expected = new EnumMap<>(Who.class);
		for (Who who : Who.values()) {
			expected.put(who, status);
		}
		return expected;
	}

	/**
	 * Statuses in the order of {@link Who}.
	 */
	private static Map<Who, Integer> expect(int... statuses) {
		Map<Who, Integer> expected = new EnumMap<>(Who.class);
		for (Who who : Who.values()) {
			expected.put(who, statuses[who.ordinal()]);
		}
		return expected;
	}

	private static Row row(HttpMethod method, String label, Supplier<String> path, Supplier<Object> body,
			Map<Who, Integer> expected) {
		return new Row(method, label, path, body, expected);
	}

	record Row(HttpMethod method, String label, Supplier<String> path, Supplier<Object> body,
			Map<Who, Integer> expected) {
	}

}
