package com.aqad.marketplace.catalog;

import java.util.Currency;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

import com.aqad.marketplace.platform.web.JsonFields;
import com.aqad.marketplace.platform.web.Validation;

/**
 * Product bodies, validated field by field against the contract's limits; every problem
 * of a body is reported in one 400. A PATCH body is read as a tree so that an absent
 * field (leave it) differs from an explicit {@code null} (refused).
 */
final class ProductInput {

	static final long MAX_PRICE = 1_000_000_000_000L;

	static final int MAX_STOCK = 1_000_000_000;

	private static final Pattern SKU = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	private static final Pattern SLUG = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

	private static final Set<String> CREATE_FIELDS = Set.of("sku", "name", "description", "priceMinor", "currency",
			"stock", "status", "categoryId");

	private static final Set<String> PATCH_FIELDS = Set.of("name", "description", "priceMinor", "stock", "status",
			"categoryId");

	private ProductInput() {
	}

	static ProductDraft draft(JsonNode body) {
		JsonFields fields = new JsonFields(body, CREATE_FIELDS);
		String sku = fields.text("sku", true);
		String name = fields.text("name", true);
		String description = fields.text("description", false);
		Long price = fields.integer("priceMinor", true);
		String currency = fields.text("currency", true);
		Long stock = fields.integer("stock", true);
		Product.Status status = fields.oneOf("status", false, Product.Status.class);
		UUID category = fields.uuid("categoryId", true);
		Validation validation = fields.validation();
		validation.check(sku == null || SKU.matcher(sku).matches(), "sku", "must be 1 to 64 of A-Z a-z 0-9 . _ -")
			.text(name, "name", 1, 200, false)
			.text(description, "description", 0, 5000, true)
			.range(price, "priceMinor", 1, MAX_PRICE)
			.check(currency == null || isCurrency(currency), "currency", "must be an ISO-4217 code such as EUR")
			.range(stock, "stock", 0, MAX_STOCK)
			.verify();
		return new ProductDraft(sku, name, (description != null) ? description : "", price, currency, stock.intValue(),
				(status != null) ? status : Product.Status.ACTIVE, category);
	}

	static ProductChanges changes(JsonNode body) {
		JsonFields fields = new JsonFields(body, PATCH_FIELDS);
		String name = fields.text("name", false);
		String description = fields.text("description", false);
		Long price = fields.integer("priceMinor", false);
		Long stock = fields.integer("stock", false);
		Product.Status status = fields.oneOf("status", false, Product.Status.class);
		UUID category = fields.uuid("categoryId", false);
		fields.validation()
			.text(name, "name", 1, 200, false)
			.text(description, "description", 0, 5000, true)
			.range(price, "priceMinor", 1, MAX_PRICE)
			.range(stock, "stock", 0, MAX_STOCK)
			.check(body.size() > 0, "body", "name at least one field to change")
			.verify();
		return new ProductChanges(name, description, price, (stock != null) ? stock.intValue() : null, status,
				category);
	}

	static void checkCategory(String name, String slug) {
		new Validation().required(name, "name")
			.text(name, "name", 1, 100, false)
			.required(slug, "slug")
			.check(slug == null || (slug.length() <= 100 && SLUG.matcher(slug).matches()), "slug",
					"must be lower-case words of a-z 0-9 joined by single hyphens, at most 100 characters")
			.verify();
	}

	private static boolean isCurrency(String code) {
		try {
			return code.length() == 3 && Currency.getInstance(code).getCurrencyCode().equals(code);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

}
