package com.aqad.marketplace.catalog;

import java.util.UUID;

import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Test data written straight to PostgreSQL, each test with its own vendor and category so
 * that tests sharing the database never see each other's products.
 */
final class CatalogFixtures {

	private final DatabaseClient db;

	private final CatalogService catalog;

	CatalogFixtures(DatabaseClient db, CatalogService catalog) {
		this.db = db;
		this.catalog = catalog;
	}

	UUID vendor() {
		return this.db.sql("insert into organizations (name, kind) values ('Test Vendor', 'VENDOR') returning id")
			.map((row) -> row.get("id", UUID.class))
			.one()
			.block();
	}

	/**
	 * A new category, announced to the cache as a category write would.
	 */
	UUID category() {
		String slug = "test-" + UUID.randomUUID();
		return this.db.sql("insert into categories (name, slug) values (:name, :slug) returning id")
			.bind("name", "Test " + slug.substring(5, 13))
			.bind("slug", slug)
			.map((row) -> row.get("id", UUID.class))
			.one()
			.flatMap((id) -> this.catalog.listingsChanged().thenReturn(id))
			.block();
	}

	UUID product(UUID vendor, UUID category, String name, long priceMinor, int stock, String status) {
		return insert(UUID.randomUUID(), vendor, category, name, priceMinor, stock, status).block();
	}

	Mono<UUID> insert(UUID id, UUID vendor, UUID category, String name, long priceMinor, int stock, String status) {
		return this.db
			.sql("""
					insert into products (id, vendor_id, category_id, sku, name, description, price_minor, currency, stock, status)
					values (:id, :vendor, :category, :sku, :name, :description, :price, 'EUR', :stock, :status)
					returning id""")
			.bind("id", id)
			.bind("vendor", vendor)
			.bind("category", category)
			.bind("sku", "SKU-" + id)
			.bind("name", name)
			.bind("description", name + " for testing")
			.bind("price", priceMinor)
			.bind("stock", stock)
			.bind("status", status)
			.map((row) -> row.get("id", UUID.class))
			.one();
	}

	/**
	 * {@code count} active products with distinct prices and creation times.
	 */
	void manyProducts(UUID vendor, UUID category, int count) {
		this.db.sql("""
				insert into products (vendor_id, category_id, sku, name, price_minor, currency, stock, created_at)
				select :vendor, :category, 'BULK-' || n, 'Bulk item ' || n, 1000 + (n * 7919) % 100000, 'EUR', n % 50,
				       now() - make_interval(secs => n * 0.001)
				from generate_series(1, :count) n""")
			.bind("vendor", vendor)
			.bind("category", category)
			.bind("count", count)
			.then()
			.block();
	}

	Product update(UUID id, String assignments) {
		// assignments are test constants, never input
		return this.db.sql("update products set " + assignments + " where id = :id returning *")
			.bind("id", id)
			.map(ProductRepository::product)
			.one()
			.block();
	}

}
