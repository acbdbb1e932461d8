package com.aqad.marketplace.catalog;

import java.util.UUID;

import reactor.core.publisher.Flux;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * Categories in PostgreSQL.
 */
@Repository
class CategoryRepository {

	private final DatabaseClient db;

	CategoryRepository(DatabaseClient db) {
		this.db = db;
	}

	Flux<Category> findAll() {
		return this.db.sql("select id, name, slug, parent_id from categories order by name, id")
			.map((row) -> new Category(row.get("id", UUID.class), row.get("name", String.class),
					row.get("slug", String.class), row.get("parent_id", UUID.class)))
			.all();
	}

}
