package com.aqad.marketplace.catalog;

import java.util.UUID;

/**
 * A validated new product.
 */
record ProductDraft(String sku, String name, String description, long priceMinor, String currency, int stock,
		Product.Status status, UUID categoryId) {
}
