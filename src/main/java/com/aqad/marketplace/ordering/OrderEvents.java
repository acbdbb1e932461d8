package com.aqad.marketplace.ordering;

import java.time.OffsetDateTime;
import java.util.UUID;

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
 * The order outbox ({@code order_events}), written by {@link OrderRepository}'s
 * statements in the same transaction as each change, read by caller visibility.
 */
@Repository
class OrderEvents implements Outbox<OrderEvent, OrderVisibility> {

	static final String TABLE = "order_events";

	static final String CHANNEL = "order_events";

	private final DatabaseClient db;

	private final OrderingProperties properties;

	OrderEvents(DatabaseClient db, OrderingProperties properties) {
		this.db = db;
		this.properties = properties;
	}

	@Override
	public Flux<OrderEvent> after(EventId after, int limit, OrderVisibility visibility) {
		StringBuilder sql = new StringBuilder("""
				select tx, seq, type, order_id, retailer_id, vendor_id, delivery_partner_id, created_at, payload
				from order_events where\s""").append(OutboxSql.AFTER).append(" and ").append(OutboxSql.VISIBLE);
		OrderVisibility who = (visibility != null) ? visibility : new OrderVisibility(null, null);
		sql.append(who.condition("")).append(" order by tx, seq limit :limit");
		GenericExecuteSpec spec = OutboxSql.bindAfter(this.db.sql(sql.toString()), after).bind("limit", limit);
		return who.bind(spec).map(OrderEvents::event).all();
	}

	@Override
	public Mono<EventId> head() {
		return OutboxSql.head(this.db, TABLE);
	}

	@Override
	public Mono<EventId> prunedThrough() {
		return OutboxSql.prunedThrough(this.db, TABLE);
	}

	@Override
	public Mono<Long> prune() {
		return OutboxSql.prune(this.db, TABLE, this.properties.events().retention(), 10_000);
	}

	private static OrderEvent event(Readable row) {
		return new OrderEvent(new EventId(row.get("tx", Long.class), row.get("seq", Long.class)),
				row.get("type", String.class), row.get("order_id", UUID.class), row.get("retailer_id", UUID.class),
				row.get("vendor_id", UUID.class), row.get("delivery_partner_id", UUID.class),
				row.get("created_at", OffsetDateTime.class).toInstant(), row.get("payload", String.class));
	}

}
