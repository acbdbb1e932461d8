package com.aqad.marketplace.catalog;

import java.time.Instant;
import java.util.UUID;

/**
 * A product as the API shows it.
 */
public record Product(UUID id, UUID vendorId, UUID categoryId, String sku, String name, String description,
		long priceMinor, String currency, int stock, Status status, long version, Instant createdAt,
		Instant updatedAt) {

	/**
	 * Where a product is in its life: only ACTIVE products are listed and sold.
	 */
	public enum Status {

		DRAFT, ACTIVE, ARCHIVED

	}

	/**
	 * The strong entity tag of this representation. The database moves {@code version}
	 * forward on every change (stock included), so the tag changes whenever the body
	 * does.
	 */
	public String etag() {
		return "\"" + this.id + "." + this.version + "\"";
	}

	boolean isPublic() {
		return this.status == Status.ACTIVE;
	}

}
