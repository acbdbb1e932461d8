package com.aqad.marketplace.catalog;

import java.util.Map;
import java.util.UUID;

import com.aqad.marketplace.identity.TestAccounts;
import com.aqad.marketplace.identity.TestAccounts.SignedIn;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Products listed through the API, as an administrator and a vendor would: for tests of
 * other features that need something to order.
 */
public final class ListedProducts {

	private ListedProducts() {
	}

	/**
	 * A new category (made by {@code admin}) with one active EUR product of
	 * {@code vendor}'s: the product's id.
	 */
	public static String list(WebTestClient http, SignedIn admin, SignedIn vendor, long priceMinor, int stock) {
		String suffix = UUID.randomUUID().toString().substring(0, 8);
		String category = TestAccounts
			.json(http.post()
				.uri("/api/v1/categories")
				.headers(admin::bearer)
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("name", "Listed " + suffix, "slug", "listed-" + suffix))
				.exchange()
				.expectStatus()
				.isCreated())
			.get("id")
			.asString();
		return TestAccounts
			.json(http.post()
				.uri("/api/v1/products")
				.headers(vendor::bearer)
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("sku", "L-" + suffix, "name", "Listed item " + suffix, "priceMinor", priceMinor,
						"currency", "EUR", "stock", stock, "categoryId", category))
				.exchange()
				.expectStatus()
				.isCreated())
			.get("id")
			.asString();
	}

}
