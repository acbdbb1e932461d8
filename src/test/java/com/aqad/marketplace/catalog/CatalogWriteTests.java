package com.aqad.marketplace.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import com.aqad.marketplace.identity.Role;
import com.aqad.marketplace.identity.TestAccounts;
import com.aqad.marketplace.identity.TestAccounts.SignedIn;
import com.aqad.marketplace.platform.devservices.ApiTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

@ApiTest
class CatalogWriteTests {

	@Autowired
	private WebTestClient http;

	@Autowired
	private DatabaseClient db;

	@Autowired
	private CatalogService catalog;

	private TestAccounts accounts;

	private SignedIn vendor;

	private UUID category;

	@BeforeEach
	void vendorAndCategory() {
		this.accounts = new TestAccounts(this.http);
		this.vendor = this.accounts.register(Role.VENDOR);
		this.category = new CatalogFixtures(this.db, this.catalog).category();
	}

	@Test
	void aVendorCreatesAProductThatEveryReadShowsAtOnce() {
		// a cached first page of this category, before the product exists
		this.http.get()
			.uri("/api/v1/products?categoryId={c}", this.category)
			.exchange()
			.expectBody()
			.jsonPath("$.items.length()")
			.isEqualTo(0);
		JsonNode created = TestAccounts.json(create(this.vendor, product("KET-1", "Copper Kettle")).expectStatus()
			.isCreated()
			.expectHeader()
			.valueMatches(HttpHeaders.LOCATION, ".*/api/v1/products/[0-9a-f-]{36}")
			.expectHeader()
			.exists(HttpHeaders.ETAG));
		assertThat(created.get("vendorId").stringValue()).isEqualTo(this.vendor.organizationId().toString());
		assertThat(created.get("version").longValue()).isZero();
		this.http.get()
			.uri("/api/v1/products?categoryId={c}", this.category)
			.exchange()
			.expectBody()
			.jsonPath("$.items[0].id")
			.isEqualTo(created.get("id").stringValue());
	}

	@Test
	void aSkuIsUniquePerVendor() {
		create(this.vendor, product("SKU.1", "First")).expectStatus().isCreated();
		create(this.vendor, product("SKU.1", "Second")).expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("sku_taken");
		create(this.accounts.register(Role.VENDOR), product("SKU.1", "Another vendor's")).expectStatus().isCreated();
	}

	@Test
	void everyInvalidFieldIsNamedAndNothingIsCreated() {
		Map<String, Object> body = new HashMap<>();
		body.put("sku", "bad sku!");
		body.put("name", "<b>Kettle</b>");
		body.put("description", "fine\u0007bell");
		body.put("priceMinor", 0);
		body.put("currency", "EURO");
		body.put("stock", 1_000_000_001);
		body.put("categoryId", this.category.toString());
		body.put("colour", "red");
		create(this.vendor, body).expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("validation_failed")
			.jsonPath("$.errors[*].field")
			.value((List<String> fields) -> assertThat(fields).containsExactlyInAnyOrder("colour", "sku", "name",
					"description", "priceMinor", "currency", "stock"));
		Map<String, Object> unknownCategory = product("OK-1", "Fine");
		unknownCategory.put("categoryId", UUID.randomUUID().toString());
		create(this.vendor, unknownCategory).expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("categoryId");
		Map<String, Object> fractional = product("OK-2", "Fine");
		fractional.put("priceMinor", 12.5);
		create(this.vendor, fractional).expectStatus().isBadRequest();
		Long count = this.db.sql("select count(*) from products where vendor_id = :v")
			.bind("v", this.vendor.organizationId())
			.map((row) -> row.get(0, Long.class))
			.one()
			.block();
		assertThat(count).isZero();
	}

	@Test
	void aPatchWithAStaleEtagIs412AndChangesNothing() {
		JsonNode created = created(product("P-1", "Kettle"));
		String id = created.get("id").stringValue();
		String etag = "\"" + id + ".0\"";
		patch(this.vendor, id, etag, Map.of("priceMinor", 999)).expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals(HttpHeaders.ETAG, "\"" + id + ".1\"")
			.expectBody()
			.jsonPath("$.priceMinor")
			.isEqualTo(999);
		patch(this.vendor, id, etag, Map.of("priceMinor", 1)).expectStatus()
			.isEqualTo(412)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("precondition_failed");
		this.http.get()
			.uri("/api/v1/products/{id}", id)
			.exchange()
			.expectBody()
			.jsonPath("$.priceMinor")
			.isEqualTo(999);
	}

	@Test
	void aPatchIsSeenByTheNextReadEvenWhenTheProductWasCached() {
		String id = created(product("P-2", "Kettle")).get("id").stringValue();
		this.http.get().uri("/api/v1/products/{id}", id).exchange().expectBody().jsonPath("$.name").isEqualTo("Kettle");
		this.http.get()
			.uri("/api/v1/products?categoryId={c}", this.category)
			.exchange()
			.expectBody()
			.jsonPath("$.items[0].name")
			.isEqualTo("Kettle");
		patch(this.vendor, id, null, Map.of("name", "Whistling Kettle", "stock", 3)).expectStatus().isOk();
		this.http.get()
			.uri("/api/v1/products/{id}", id)
			.exchange()
			.expectBody()
			.jsonPath("$.name")
			.isEqualTo("Whistling Kettle")
			.jsonPath("$.stock")
			.isEqualTo(3);
		this.http.get()
			.uri("/api/v1/products?categoryId={c}", this.category)
			.exchange()
			.expectBody()
			.jsonPath("$.items[0].name")
			.isEqualTo("Whistling Kettle");
	}

	@Test
	void aPatchRefusesNullsEmptyBodiesAndFieldsItCannotChange() {
		String id = created(product("P-3", "Kettle")).get("id").stringValue();
		Map<String, Object> nullName = new HashMap<>();
		nullName.put("name", null);
		patch(this.vendor, id, null, nullName).expectStatus().isBadRequest();
		patch(this.vendor, id, null, Map.of()).expectStatus().isBadRequest();
		patch(this.vendor, id, null, Map.of("sku", "NEW")).expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("sku");
	}

	@Test
	void draftsAndArchivedProductsAreSeenOnlyByTheirVendorAndAdministrators() {
		Map<String, Object> draft = product("D-1", "Secret Kettle");
		draft.put("status", "DRAFT");
		String id = created(draft).get("id").stringValue();
		this.http.get().uri("/api/v1/products/{id}", id).exchange().expectStatus().isNotFound();
		this.http.get().uri("/api/v1/products/{id}", id).headers(this.vendor::bearer).exchange().expectStatus().isOk();
		this.http.get()
			.uri("/api/v1/products/{id}", id)
			.headers(this.accounts.register(Role.VENDOR)::bearer)
			.exchange()
			.expectStatus()
			.isNotFound();
		patch(this.vendor, id, null, Map.of("status", "ACTIVE")).expectStatus().isOk();
		this.http.get().uri("/api/v1/products/{id}", id).exchange().expectStatus().isOk();
		this.http.delete()
			.uri("/api/v1/products/{id}", id)
			.headers(this.vendor::bearer)
			.exchange()
			.expectStatus()
			.isNoContent();
		this.http.get().uri("/api/v1/products/{id}", id).exchange().expectStatus().isNotFound();
		this.http.get()
			.uri("/api/v1/products/{id}", id)
			.headers(this.accounts.admin()::bearer)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("ARCHIVED");
	}

	@Test
	void administratorsAddCategoriesWithUniqueSlugs() {
		String slug = "garden-" + Long.toHexString(System.nanoTime());
		this.http.post()
			.uri("/api/v1/categories")
			.headers(this.accounts.admin()::bearer)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", "Garden", "slug", slug, "parentId", this.category.toString()))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.parentId")
			.isEqualTo(this.category.toString());
		this.http.get()
			.uri("/api/v1/categories")
			.exchange()
			.expectBody()
			.jsonPath("$.items[?(@.slug == '" + slug + "')]")
			.exists();
		this.http.post()
			.uri("/api/v1/categories")
			.headers(this.accounts.admin()::bearer)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", "Garden again", "slug", slug))
			.exchange()
			.expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("slug_taken");
		this.http.post()
			.uri("/api/v1/categories")
			.headers(this.accounts.admin()::bearer)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", "Bad", "slug", "Not A Slug"))
			.exchange()
			.expectStatus()
			.isBadRequest();
	}

	private JsonNode created(Map<String, Object> body) {
		return TestAccounts.json(create(this.vendor, body).expectStatus().isCreated());
	}

	private Map<String, Object> product(String sku, String name) {
		Map<String, Object> body = new HashMap<>();
		body.put("sku", sku);
		body.put("name", name);
		body.put("description", "Boils water.\nTwo litres.");
		body.put("priceMinor", 4_500);
		body.put("currency", "EUR");
		body.put("stock", 10);
		body.put("categoryId", this.category.toString());
		return body;
	}

	private WebTestClient.ResponseSpec create(SignedIn as, Map<String, Object> body) {
		return this.http.post()
			.uri("/api/v1/products")
			.headers(as::bearer)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

	private WebTestClient.ResponseSpec patch(SignedIn as, String id, String ifMatch, Map<String, Object> body) {
		return this.http.patch().uri("/api/v1/products/{id}", id).headers(as::bearer).headers((headers) -> {
			if (ifMatch != null) {
				headers.setIfMatch(ifMatch);
			}
		}).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
	}

}
