package com.aqad.marketplace.catalog;

import java.util.UUID;

/**
 * A product category; categories form a tree through {@code parentId}.
 */
public record Category(UUID id, String name, String slug, UUID parentId) {
}
