package com.aqad.marketplace.catalog;

import java.util.UUID;

/**
 * A validated PATCH: the fields to change ({@code null}: leave as is).
 */
record ProductChanges(String name, String description, Long priceMinor, Integer stock, Product.Status status,
		UUID categoryId) {

	boolean isEmpty() {
		return this.name == null && this.description == null && this.priceMinor == null && this.stock == null
				&& this.status == null && this.categoryId == null;
	}

	static ProductChanges archive() {
		return new ProductChanges(null, null, null, null, Product.Status.ARCHIVED, null);
	}

}
