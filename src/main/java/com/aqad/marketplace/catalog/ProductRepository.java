package com.aqad.marketplace.catalog;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;

/**
 * Products in PostgreSQL. Every value is a bind parameter; the SQL text is assembled only
 * from the fixed fragments below, chosen by which filters a query has.
 */
@Repository
class ProductRepository {

	private static final String COLUMNS = """
			select p.id, p.vendor_id, p.category_id, p.sku, p.name, p.description, p.price_minor, p.currency,
			       p.stock, p.status, p.version, p.created_at, p.updated_at""";

	private static final String BY_ID = COLUMNS + " from products p where p.id = :id";

	private static final String BY_IDS = COLUMNS + " from products p where p.id = any(:ids)";

	private final DatabaseClient db;

	ProductRepository(DatabaseClient db) {
		this.db = db;
	}

	Mono<Product> findById(UUID id) {
		return this.db.sql(BY_ID).bind("id", id).map(ProductRepository::product).one();
	}

	Flux<Product> findAllById(Collection<UUID> ids) {
		return this.db.sql(BY_IDS).bind("ids", ids.toArray(UUID[]::new)).map(ProductRepository::product).all();
	}

	/**
	 * A new product; a duplicate-key error when the vendor has the sku already.
	 */
	Mono<Product> insert(UUID vendorId, ProductDraft draft) {
		return this.db
			.sql("""
					insert into products (vendor_id, category_id, sku, name, description, price_minor, currency, stock, status)
					values (:vendor, :category, :sku, :name, :description, :price, :currency, :stock, :status)
					returning id, vendor_id, category_id, sku, name, description, price_minor, currency, stock, status,
					          version, created_at, updated_at""")
			.bind("vendor", vendorId)
			.bind("category", draft.categoryId())
			.bind("sku", draft.sku())
			.bind("name", draft.name())
			.bind("description", draft.description())
			.bind("price", draft.priceMinor())
			.bind("currency", draft.currency())
			.bind("stock", draft.stock())
			.bind("status", draft.status().name())
			.map(ProductRepository::product)
			.one();
	}

	/**
	 * Applies the changes; with {@code expectedVersion} only if the row is still at it.
	 * Empty when no row was changed.
	 */
	Mono<Product> update(UUID id, ProductChanges changes, Long expectedVersion) {
		StringBuilder sql = new StringBuilder("update products set ");
		java.util.List<String> sets = new java.util.ArrayList<>();
		if (changes.name() != null) {
			sets.add("name = :name");
		}
		if (changes.description() != null) {
			sets.add("description = :description");
		}
		if (changes.priceMinor() != null) {
			sets.add("price_minor = :price");
		}
		if (changes.stock() != null) {
			sets.add("stock = :stock");
		}
		if (changes.status() != null) {
			sets.add("status = :status");
		}
		if (changes.categoryId() != null) {
			sets.add("category_id = :category");
		}
		sql.append(String.join(", ", sets)).append(" where id = :id");
		if (expectedVersion != null) {
			sql.append(" and version = :version");
		}
		sql.append(" returning id, vendor_id, category_id, sku, name, description, price_minor, currency, stock,"
				+ " status, version, created_at, updated_at");
		GenericExecuteSpec spec = this.db.sql(sql.toString()).bind("id", id);
		if (changes.name() != null) {
			spec = spec.bind("name", changes.name());
		}
		if (changes.description() != null) {
			spec = spec.bind("description", changes.description());
		}
		if (changes.priceMinor() != null) {
			spec = spec.bind("price", changes.priceMinor());
		}
		if (changes.stock() != null) {
			spec = spec.bind("stock", changes.stock());
		}
		if (changes.status() != null) {
			spec = spec.bind("status", changes.status().name());
		}
		if (changes.categoryId() != null) {
			spec = spec.bind("category", changes.categoryId());
		}
		if (expectedVersion != null) {
			spec = spec.bind("version", expectedVersion);
		}
		return spec.map(ProductRepository::product).one();
	}

	/**
	 * One page of active products, plus one more row when a next page exists.
	 */
	Flux<Ranked> search(ProductQuery query) {
		boolean text = query.q() != null;
		StringBuilder sql = new StringBuilder(COLUMNS);
		sql.append(
				text ? ", ts_rank(p.search, query) as rank from products p, websearch_to_tsquery('english', :q) query"
						: ", 0::real as rank from products p");
		sql.append(" where p.status = 'ACTIVE'");
		if (query.categoryId() != null) {
			sql.append(" and p.category_id = :categoryId");
		}
		if (query.vendorId() != null) {
			sql.append(" and p.vendor_id = :vendorId");
		}
		if (text) {
			sql.append(" and p.search @@ query");
		}
		if (query.minPrice() != null) {
			sql.append(" and p.price_minor >= :minPrice");
		}
		if (query.maxPrice() != null) {
			sql.append(" and p.price_minor <= :maxPrice");
		}
		if (query.inStock()) {
			sql.append(" and p.stock > 0");
		}
		if (query.after() != null) {
			sql.append(switch (query.sort()) {
				case NEWEST -> " and (p.created_at, p.id) < (:afterKey, :afterId)";
				case PRICE_ASC -> " and (p.price_minor, p.id) > (:afterKey, :afterId)";
				case PRICE_DESC -> " and (p.price_minor, p.id) < (:afterKey, :afterId)";
				case RELEVANCE -> " and (ts_rank(p.search, query), p.id) < (:afterKey, :afterId)";
			});
		}
		sql.append(switch (query.sort()) {
			case NEWEST -> " order by p.created_at desc, p.id desc";
			case PRICE_ASC -> " order by p.price_minor, p.id";
			case PRICE_DESC -> " order by p.price_minor desc, p.id desc";
			case RELEVANCE -> " order by rank desc, p.id desc";
		});
		sql.append(" limit :limit");
		return bind(this.db.sql(sql.toString()), query)
			.map((row) -> new Ranked(product(row), row.get("rank", Float.class)))
			.all();
	}

	private static GenericExecuteSpec bind(GenericExecuteSpec spec, ProductQuery query) {
		spec = spec.bind("limit", query.limit() + 1);
		if (query.q() != null) {
			spec = spec.bind("q", query.q());
		}
		if (query.categoryId() != null) {
			spec = spec.bind("categoryId", query.categoryId());
		}
		if (query.vendorId() != null) {
			spec = spec.bind("vendorId", query.vendorId());
		}
		if (query.minPrice() != null) {
			spec = spec.bind("minPrice", query.minPrice());
		}
		if (query.maxPrice() != null) {
			spec = spec.bind("maxPrice", query.maxPrice());
		}
		ProductCursor after = query.after();
		if (after != null) {
			spec = spec.bind("afterId", after.id());
			spec = switch (after.sort()) {
				case NEWEST -> spec.bind("afterKey", OffsetDateTime.ofInstant(after.createdAt(), ZoneOffset.UTC));
				case PRICE_ASC, PRICE_DESC -> spec.bind("afterKey", after.key());
				case RELEVANCE -> spec.bind("afterKey", after.rank());
			};
		}
		return spec;
	}

	static Product product(Readable row) {
		return new Product(row.get("id", UUID.class), row.get("vendor_id", UUID.class),
				row.get("category_id", UUID.class), row.get("sku", String.class), row.get("name", String.class),
				row.get("description", String.class), row.get("price_minor", Long.class),
				row.get("currency", String.class), row.get("stock", Integer.class),
				Product.Status.valueOf(row.get("status", String.class)), row.get("version", Long.class),
				row.get("created_at", OffsetDateTime.class).toInstant(),
				row.get("updated_at", OffsetDateTime.class).toInstant());
	}

	/**
	 * A product with its full-text rank (0 when the query has no text).
	 */
	record Ranked(Product product, float rank) {
	}

}
