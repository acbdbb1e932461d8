package com.aqad.marketplace.catalog;

import java.util.UUID;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

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

	Mono<Boolean> exists(UUID id) {
		return this.db.sql("select 1 from categories where id = :id")
			.bind("id", id)
			.map((row) -> true)
			.one()
			.defaultIfEmpty(false);
	}

	/**
	 * A new category; a duplicate-key error when the slug is taken.
	 */
	Mono<Category> insert(String name, String slug, UUID parentId) {
		var spec = this.db
			.sql("insert into categories (name, slug, parent_id) values (:name, :slug, :parent) "
					+ "returning id, name, slug, parent_id")
			.bind("name", name)
			.bind("slug", slug);
		spec = (parentId != null) ? spec.bind("parent", parentId) : spec.bindNull("parent", UUID.class);
		return spec.map(CategoryRepository::category).one();
	}

	Flux<Category> findAll() {
		return this.db.sql("select id, name, slug, parent_id from categories order by name, id")
			.map(CategoryRepository::category)
			.all();
	}

	private static Category category(io.r2dbc.spi.Readable row) {
		return new Category(row.get("id", UUID.class), row.get("name", String.class), row.get("slug", String.class),
				row.get("parent_id", UUID.class));
	}

}
