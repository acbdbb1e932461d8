package com.aqad.marketplace.feed;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import com.aqad.marketplace.platform.outbox.EventId;
import com.aqad.marketplace.platform.outbox.Outbox;
import com.aqad.marketplace.platform.outbox.OutboxSql;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;

/**
 * The full feed and the product outbox ({@code product_events}, written by a trigger on
 * {@code products}). Products come out of PostgreSQL as the feed's JSON already
 * ({@code products.feed_json}, kept by a trigger), so a feed is a scan that copies text.
 */
@Repository
class FeedRepository implements Outbox<ProductEvent, FeedFilter> {

	static final String EVENTS = "product_events";

	static final String CHANNEL = "product_events";

	private final DatabaseClient db;

	private final FeedProperties properties;

	private final Counter rowsRead;

	FeedRepository(DatabaseClient db, FeedProperties properties, MeterRegistry meters) {
		this.db = db;
		this.properties = properties;
		this.rowsRead = Counter.builder("aqad.feed.rows")
			.description("Products read from PostgreSQL for full feeds")
			.register(meters);
	}

	/**
	 * Every active product matching the filter, as JSON, in no particular order. Rows
	 * come {@code fetchSize} at a time as the subscriber asks for them; cancelling closes
	 * the query.
	 */
	Flux<String> products(FeedFilter filter) {
		StringBuilder sql = new StringBuilder("select p.feed_json from products p where p.status = 'ACTIVE'");
		if (filter.updatedSince() != null) {
			sql.append(" and p.updated_at >= :since");
		}
		if (filter.categoryId() != null) {
			sql.append(" and p.category_id = :category");
		}
		if (filter.vendorId() != null) {
			sql.append(" and p.vendor_id = :vendor");
		}
		int fetchSize = this.properties.fetchSize();
		return bind(this.db.sql(sql.toString()), filter, "since")
			.filter((statement, next) -> next.execute(statement.fetchSize(fetchSize)))
			.map((row) -> {
				this.rowsRead.increment();
				return row.get("feed_json", String.class);
			})
			.all();
	}

	@Override
	public Flux<ProductEvent> after(EventId after, int limit, FeedFilter filter) {
		StringBuilder sql = new StringBuilder("""
				select tx, seq, type, product_id, vendor_id, category_id, previous_category_id, created_at, product
				from product_events where\s""").append(OutboxSql.AFTER).append(" and ").append(OutboxSql.VISIBLE);
		if (filter != null) {
			if (filter.updatedSince() != null) {
				sql.append(" and created_at >= :since");
			}
			if (filter.categoryId() != null) {
				sql.append(" and (category_id = :category or previous_category_id = :category)");
			}
			if (filter.vendorId() != null) {
				sql.append(" and vendor_id = :vendor");
			}
		}
		sql.append(" order by tx, seq limit :limit");
		GenericExecuteSpec spec = OutboxSql.bindAfter(this.db.sql(sql.toString()), after).bind("limit", limit);
		if (filter != null) {
			spec = bind(spec, filter, "since");
		}
		return spec.map(FeedRepository::event).all();
	}

	@Override
	public Mono<EventId> head() {
		return OutboxSql.head(this.db, EVENTS);
	}

	@Override
	public Mono<EventId> prunedThrough() {
		return OutboxSql.prunedThrough(this.db, EVENTS);
	}

	@Override
	public Mono<Long> prune() {
		return OutboxSql.prune(this.db, EVENTS, this.properties.changes().retention(), 10_000);
	}

	private static GenericExecuteSpec bind(GenericExecuteSpec spec, FeedFilter filter, String since) {
		if (filter.updatedSince() != null) {
			spec = spec.bind(since, OffsetDateTime.ofInstant(filter.updatedSince(), ZoneOffset.UTC));
		}
		if (filter.categoryId() != null) {
			spec = spec.bind("category", filter.categoryId());
		}
		if (filter.vendorId() != null) {
			spec = spec.bind("vendor", filter.vendorId());
		}
		return spec;
	}

	private static ProductEvent event(Readable row) {
		return new ProductEvent(new EventId(row.get("tx", Long.class), row.get("seq", Long.class)),
				row.get("type", String.class), row.get("product_id", UUID.class), row.get("vendor_id", UUID.class),
				row.get("category_id", UUID.class), row.get("previous_category_id", UUID.class),
				row.get("created_at", OffsetDateTime.class).toInstant(), row.get("product", String.class));
	}

}
