package com.aqad.marketplace.feed;

import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Catalog rows written straight to PostgreSQL (as any writer would: the outbox trigger
 * sees them all), each test with its own vendor and category.
 */
final class FeedFixtures {

	private final DatabaseClient db;

	FeedFixtures(DatabaseClient db) {
		this.db = db;
	}

	UUID vendor() {
		return this.db.sql("insert into organizations (name, kind) values ('Feed Vendor', 'VENDOR') returning id")
			.map((row) -> row.get("id", UUID.class))
			.one()
			.block();
	}

	UUID category() {
		String slug = "feed-" + UUID.randomUUID();
		return this.db.sql("insert into categories (name, slug) values ('Feed test', :slug) returning id")
			.bind("slug", slug)
			.map((row) -> row.get("id", UUID.class))
			.one()
			.block();
	}

	/**
	 * {@code count} products of this vendor and category in one statement.
	 */
	void products(UUID vendor, UUID category, int count, String status) {
		this.db.sql("""
				insert into products (vendor_id, category_id, sku, name, price_minor, currency, stock, status)
				select :vendor, :category, :status || '-' || n || '-' || gen_random_uuid(), 'Feed item ' || n,
				       1000 + n, 'EUR', n % 50, :status
				from generate_series(1, :count) n""")
			.bind("vendor", vendor)
			.bind("category", category)
			.bind("count", count)
			.bind("status", status)
			.then()
			.block();
	}

	/**
	 * Changes one product's price in a transaction of its own.
	 */
	void reprice(UUID product, long priceMinor) {
		this.db.sql("update products set price_minor = :price where id = :id")
			.bind("price", priceMinor)
			.bind("id", product)
			.then()
			.block();
	}

	java.util.List<UUID> ids(UUID category, String status) {
		return this.db.sql("select id from products where category_id = :category and status = :status order by id")
			.bind("category", category)
			.bind("status", status)
			.map((row) -> row.get("id", UUID.class))
			.all()
			.collectList()
			.block();
	}

}
