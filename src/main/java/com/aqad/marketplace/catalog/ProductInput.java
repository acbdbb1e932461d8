package com.aqad.marketplace.catalog;

import java.util.Currency;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

import com.aqad.marketplace.platform.web.ApiException;
import com.aqad.marketplace.platform.web.Ids;
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
		Fields fields = new Fields(body, CREATE_FIELDS);
		String sku = fields.text("sku", true);
		String name = fields.text("name", true);
		String description = fields.text("description", false);
		Long price = fields.integer("priceMinor", true);
		String currency = fields.text("currency", true);
		Long stock = fields.integer("stock", true);
		Product.Status status = fields.status(false);
		UUID category = fields.uuid("categoryId", true);
		Validation validation = fields.validation;
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
		Fields fields = new Fields(body, PATCH_FIELDS);
		String name = fields.text("name", false);
		String description = fields.text("description", false);
		Long price = fields.integer("priceMinor", false);
		Long stock = fields.integer("stock", false);
		Product.Status status = fields.status(false);
		UUID category = fields.uuid("categoryId", false);
		fields.validation.text(name, "name", 1, 200, false)
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

	/**
	 * Reads typed fields out of a JSON object, noting each problem.
	 */
	private static final class Fields {

		private final JsonNode body;

		private final Validation validation = new Validation();

		Fields(JsonNode body, Set<String> known) {
			if (body == null || !body.isObject()) {
				throw new ApiException(org.springframework.http.HttpStatus.BAD_REQUEST, "malformed_request",
						"The body must be a JSON object.");
			}
			this.body = body;
			for (String name : body.propertyNames()) {
				this.validation.check(known.contains(name), name, "unknown field");
			}
		}

		private JsonNode field(String name, boolean required) {
			JsonNode value = this.body.get(name);
			if (value == null) {
				this.validation.check(!required, name, "is required");
				return null;
			}
			if (value.isNull()) {
				this.validation.check(false, name, "must not be null");
				return null;
			}
			return value;
		}

		String text(String name, boolean required) {
			JsonNode value = field(name, required);
			if (value == null) {
				return null;
			}
			this.validation.check(value.isString(), name, "must be a string");
			return value.isString() ? value.stringValue() : null;
		}

		Long integer(String name, boolean required) {
			JsonNode value = field(name, required);
			if (value == null) {
				return null;
			}
			boolean integral = value.isIntegralNumber() && value.canConvertToLong();
			this.validation.check(integral, name, "must be a whole number");
			return integral ? value.longValue() : null;
		}

		UUID uuid(String name, boolean required) {
			String text = text(name, required);
			if (text == null) {
				return null;
			}
			UUID id = Ids.parse(text).orElse(null);
			this.validation.check(id != null, name, "must be an id");
			return id;
		}

		Product.Status status(boolean required) {
			String text = text("status", required);
			if (text == null) {
				return null;
			}
			for (Product.Status status : Product.Status.values()) {
				if (status.name().equals(text)) {
					return status;
				}
			}
			this.validation.check(false, "status", "must be DRAFT, ACTIVE or ARCHIVED");
			return null;
		}

	}

}
