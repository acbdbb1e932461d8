package com.aqad.marketplace.ordering;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

import com.aqad.marketplace.platform.web.JsonFields;
import com.aqad.marketplace.platform.web.Validation;

/**
 * Order, payment and delivery bodies, validated against the contract's limits; every
 * problem of a body is reported in one 400.
 */
final class OrderInput {

	static final int MAX_LINES = 100;

	static final int MAX_QUANTITY = 10_000;

	private OrderInput() {
	}

	/**
	 * {@code {lines: [{productId, quantity}], note?}}.
	 */
	record PlaceOrder(List<Wanted> lines, String note) {

		/**
		 * What the same request always says, whatever its JSON spelling: for comparing
		 * retries of one Idempotency-Key.
		 */
		String canonical() {
			StringBuilder text = new StringBuilder("order|").append(this.note).append('|');
			this.lines.forEach((line) -> text.append(line.productId()).append('x').append(line.quantity()).append(';'));
			return text.toString();
		}

	}

	record Wanted(UUID productId, int quantity) {
	}

	/**
	 * {@code {amountMinor, method, reference?}}.
	 */
	record Pay(long amountMinor, Payment.Method method, String reference) {

		String canonical(UUID orderId) {
			return "payment|" + orderId + "|" + this.amountMinor + "|" + this.method + "|" + this.reference;
		}

	}

	static PlaceOrder placeOrder(JsonNode body) {
		JsonFields fields = new JsonFields(body, Set.of("lines", "note"));
		Validation validation = fields.validation();
		JsonNode lines = fields.field("lines", true);
		String note = fields.text("note", false);
		List<Wanted> wanted = new ArrayList<>();
		if (lines != null) {
			validation.check(lines.isArray() && !lines.isEmpty() && lines.size() <= MAX_LINES, "lines",
					"must be a list of 1 to " + MAX_LINES + " lines");
			Set<UUID> seen = new HashSet<>();
			for (int i = 0; lines.isArray() && i < Math.min(lines.size(), MAX_LINES); i++) {
				String at = "lines[" + i + "]";
				JsonNode line = lines.get(i);
				if (!line.isObject()) {
					validation.check(false, at, "must be an object {productId, quantity}");
					continue;
				}
				for (String name : line.propertyNames()) {
					validation.check(name.equals("productId") || name.equals("quantity"), at + "." + name,
							"unknown field");
				}
				UUID product = fields.uuid(required(line, "productId", validation, at), at + ".productId");
				Long quantity = fields.integer(required(line, "quantity", validation, at), at + ".quantity");
				validation.range(quantity, at + ".quantity", 1, MAX_QUANTITY);
				if (product != null) {
					validation.check(seen.add(product), at + ".productId", "names a product another line names");
				}
				if (product != null && quantity != null && quantity >= 1 && quantity <= MAX_QUANTITY) {
					wanted.add(new Wanted(product, quantity.intValue()));
				}
			}
		}
		validation.text(note, "note", 0, 1000, true).verify();
		return new PlaceOrder(List.copyOf(wanted), note);
	}

	static Pay pay(JsonNode body) {
		JsonFields fields = new JsonFields(body, Set.of("amountMinor", "method", "reference"));
		Long amount = fields.integer("amountMinor", true);
		Payment.Method method = fields.oneOf("method", true, Payment.Method.class);
		String reference = fields.text("reference", false);
		fields.validation()
			.range(amount, "amountMinor", 1, 1_000_000_000_000_000L)
			.text(reference, "reference", 1, 200, false)
			.verify();
		return new Pay(amount, method, reference);
	}

	static UUID deliveryPartner(JsonNode body) {
		JsonFields fields = new JsonFields(body, Set.of("deliveryPartnerId"));
		UUID partner = fields.uuid("deliveryPartnerId", true);
		fields.validation().verify();
		return partner;
	}

	private static JsonNode required(JsonNode line, String name, Validation validation, String at) {
		JsonNode value = line.get(name);
		validation.check(value != null && !value.isNull(), at + "." + name, "is required");
		return (value == null || value.isNull()) ? null : value;
	}

}
