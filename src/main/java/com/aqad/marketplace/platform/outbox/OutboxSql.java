package com.aqad.marketplace.platform.outbox;

import java.time.Duration;

import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The SQL every outbox table shares. A table has {@code tx bigint} (the writing
 * transaction, {@code pg_current_xact_id()}), {@code seq bigint} (an identity) and
 * {@code created_at}; table names here are the features' constants, never input.
 */
public final class OutboxSql {

	/**
	 * Rows of transactions that have all ended: committed (visible) or rolled back (never
	 * visible). Any transaction still running has a tx at or above the horizon, so it can
	 * only ever add ids above the ones this condition lets through.
	 */
	public static final String VISIBLE = "tx < pg_snapshot_xmin(pg_current_snapshot())::text::bigint";

	/**
	 * Keyset condition: after {@code :afterTx}-{@code :afterSeq}.
	 */
	public static final String AFTER = "(tx, seq) > (:afterTx, :afterSeq)";

	private OutboxSql() {
	}

	public static DatabaseClient.GenericExecuteSpec bindAfter(DatabaseClient.GenericExecuteSpec spec, EventId after) {
		return spec.bind("afterTx", after.tx()).bind("afterSeq", after.seq());
	}

	public static Mono<EventId> head(DatabaseClient db, String table) {
		return db.sql("select tx, seq from " + table + " where " + VISIBLE + " order by tx desc, seq desc limit 1")
			.map((row) -> new EventId(row.get("tx", Long.class), row.get("seq", Long.class)))
			.one()
			.defaultIfEmpty(EventId.START);
	}

	public static Mono<EventId> prunedThrough(DatabaseClient db, String table) {
		return db.sql("select tx, seq from outbox_pruned where stream = :stream")
			.bind("stream", table)
			.map((row) -> new EventId(row.get("tx", Long.class), row.get("seq", Long.class)))
			.one()
			.defaultIfEmpty(EventId.START);
	}

	/**
	 * Deletes up to {@code batch} of the oldest events past {@code retention} and records
	 * the newest id deleted.
	 */
	public static Mono<Long> prune(DatabaseClient db, String table, Duration retention, int batch) {
		return db.sql("""
				with gone as (
				    delete from %1$s where (tx, seq) in (
				        select tx, seq from %1$s where created_at < now() - make_interval(secs => :retention)
				        order by tx, seq limit :batch)
				    returning tx, seq),
				newest as (select tx, seq from gone order by tx desc, seq desc limit 1),
				mark as (
				    insert into outbox_pruned (stream, tx, seq) select :stream, tx, seq from newest
				    on conflict (stream) do update set tx = excluded.tx, seq = excluded.seq
				    where (excluded.tx, excluded.seq) > (outbox_pruned.tx, outbox_pruned.seq))
				select count(*) as deleted from gone""".formatted(table))
			.bind("retention", (double) retention.toSeconds())
			.bind("batch", batch)
			.bind("stream", table)
			.map((row) -> row.get("deleted", Long.class))
			.one();
	}

}
