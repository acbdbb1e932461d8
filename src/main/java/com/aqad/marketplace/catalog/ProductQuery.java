package com.aqad.marketplace.catalog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;

import com.aqad.marketplace.platform.web.QueryParameters;

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
		QueryParameters in = new QueryParameters(parameters, PARAMETERS);
		String priceMessage = "must be a whole number of minor units, 0.." + MAX_PRICE;
		UUID categoryId = in.uuid("categoryId");
		UUID vendorId = in.uuid("vendorId");
		String q = in.text("q", properties.maxQueryLength());
		Long minPrice = in.whole("minPrice", 0, MAX_PRICE, priceMessage);
		Long maxPrice = in.whole("maxPrice", 0, MAX_PRICE, priceMessage);
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
		in.verify();
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

}
