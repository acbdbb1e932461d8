package com.aqad.marketplace.catalog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.aqad.marketplace.platform.web.ApiException;
import com.aqad.marketplace.platform.web.Ids;
import com.aqad.marketplace.platform.web.ApiException.FieldProblem;

import org.springframework.util.MultiValueMap;

/**
 * A validated public product search: filters, order, page size and position.
 */
record ProductQuery(UUID categoryId, UUID vendorId, String q, Long minPrice, Long maxPrice, boolean inStock,
		ProductSort sort, int limit, ProductCursor after) {

	private static final Set<String> PARAMETERS = Set.of("categoryId", "vendorId", "q", "minPrice", "maxPrice",
			"inStock", "sort", "limit", "cursor");

	private static final long MAX_PRICE = 1_000_000_000_000L;

	/**
	 * Reads a query string, refusing unknown, repeated and invalid parameters with one
	 * 400 that lists them all.
	 */
	static ProductQuery parse(MultiValueMap<String, String> parameters, CatalogProperties properties) {
		Parser in = new Parser(parameters);
		UUID categoryId = in.uuid("categoryId");
		UUID vendorId = in.uuid("vendorId");
		String q = in.text("q", properties.maxQueryLength());
		Long minPrice = in.price("minPrice");
		Long maxPrice = in.price("maxPrice");
		boolean inStock = in.bool("inStock");
		String sortValue = in.single("sort");
		ProductSort sort = (q != null) ? ProductSort.RELEVANCE : ProductSort.NEWEST;
		if (sortValue != null) {
			sort = ProductSort.fromParameter(sortValue).orElse(null);
			if (sort == null) {
				in.problem("sort", "must be one of newest, price_asc, price_desc, relevance");
			}
			else if (sort == ProductSort.RELEVANCE && q == null) {
				in.problem("sort", "relevance needs a full-text query q");
			}
		}
		int limit = in.limit(properties.defaultPageSize(), properties.maxPageSize());
		String cursorValue = in.single("cursor");
		ProductCursor after = null;
		if (cursorValue != null) {
			after = ProductCursor.decode(cursorValue).orElse(null);
			if (after == null || after.sort() != sort) {
				in.problem("cursor", "is not a cursor of this list; start again without it");
			}
		}
		if (minPrice != null && maxPrice != null && minPrice > maxPrice) {
			in.problem("minPrice", "must not be above maxPrice");
		}
		in.rejectUnknown();
		return new ProductQuery(categoryId, vendorId, q, minPrice, maxPrice, inStock, sort, limit, after);
	}

	/**
	 * A short, stable name of this query, for cache keys: equal queries, equal names.
	 */
	String cacheKey() {
		String canonical = String.join("|", String.valueOf(this.categoryId), String.valueOf(this.vendorId),
				String.valueOf(this.q), String.valueOf(this.minPrice), String.valueOf(this.maxPrice),
				String.valueOf(this.inStock), this.sort.parameter(), String.valueOf(this.limit),
				(this.after != null) ? this.after.encode() : "");
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 16);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static final class Parser {

		private final MultiValueMap<String, String> parameters;

		private final List<FieldProblem> problems = new ArrayList<>();

		Parser(MultiValueMap<String, String> parameters) {
			this.parameters = parameters;
		}

		void problem(String field, String message) {
			this.problems.add(new FieldProblem(field, message));
		}

		String single(String name) {
			List<String> values = this.parameters.get(name);
			if (values == null || values.isEmpty()) {
				return null;
			}
			if (values.size() > 1) {
				problem(name, "must be given at most once");
				return null;
			}
			return values.get(0);
		}

		UUID uuid(String name) {
			String value = single(name);
			if (value == null) {
				return null;
			}
			UUID uuid = Ids.parse(value).orElse(null);
			if (uuid == null) {
				problem(name, "must be a UUID");
			}
			return uuid;
		}

		String text(String name, int maxLength) {
			String value = single(name);
			if (value == null) {
				return null;
			}
			String trimmed = value.strip();
			if (trimmed.isEmpty() || trimmed.length() > maxLength) {
				problem(name, "must be 1.." + maxLength + " characters");
				return null;
			}
			if (trimmed.chars().anyMatch(Character::isISOControl)) {
				problem(name, "must not contain control characters");
				return null;
			}
			return trimmed;
		}

		Long price(String name) {
			String value = single(name);
			if (value == null) {
				return null;
			}
			try {
				long price = Long.parseLong(value);
				if (price >= 0 && price <= MAX_PRICE) {
					return price;
				}
			}
			catch (NumberFormatException ex) {
				// reported below
			}
			problem(name, "must be a whole number of minor units, 0.." + MAX_PRICE);
			return null;
		}

		boolean bool(String name) {
			String value = single(name);
			if (value == null || value.equals("false")) {
				return false;
			}
			if (value.equals("true")) {
				return true;
			}
			problem(name, "must be true or false");
			return false;
		}

		int limit(int defaultLimit, int maxLimit) {
			String value = single("limit");
			if (value == null) {
				return defaultLimit;
			}
			try {
				int limit = Integer.parseInt(value);
				if (limit >= 1 && limit <= maxLimit) {
					return limit;
				}
			}
			catch (NumberFormatException ex) {
				// reported below
			}
			problem("limit", "must be a whole number, 1.." + maxLimit);
			return defaultLimit;
		}

		void rejectUnknown() {
			this.parameters.keySet()
				.stream()
				.filter((name) -> !PARAMETERS.contains(name))
				.sorted()
				.forEach((name) -> problem(name, "is not a parameter of this list"));
			if (!this.problems.isEmpty()) {
				throw ApiException.invalid(this.problems);
			}
		}

	}

}
