package com.aqad.marketplace.feed;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import com.aqad.marketplace.platform.web.QueryParameters;

import org.springframework.util.MultiValueMap;

/**
 * What a partner asked for: products (or changes) of one category and/or vendor, changed
 * since a moment. Every part is optional.
 */
record FeedFilter(Instant updatedSince, UUID categoryId, UUID vendorId) {

	private static final Set<String> PARAMETERS = Set.of("updatedSince", "categoryId", "vendorId");

	static FeedFilter parse(MultiValueMap<String, String> parameters) {
		QueryParameters in = new QueryParameters(parameters, PARAMETERS);
		FeedFilter filter = new FeedFilter(in.instant("updatedSince"), in.uuid("categoryId"), in.uuid("vendorId"));
		in.verify();
		return filter;
	}

	/**
	 * The same test as the repository's SQL, for live events.
	 */
	boolean matches(ProductEvent event) {
		return (this.updatedSince == null || !event.at().isBefore(this.updatedSince))
				&& (this.vendorId == null || this.vendorId.equals(event.vendorId()))
				&& (this.categoryId == null || this.categoryId.equals(event.categoryId())
						|| this.categoryId.equals(event.previousCategoryId()));
	}

}
