package com.aqad.marketplace.ordering;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;

import com.aqad.marketplace.platform.web.ApiException;

import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Idempotency-Key, per caller, in PostgreSQL. A request first claims its key (committed
 * at once, so racing retries see the claim); the work then completes the key in its own
 * statement, in the same transaction as the order or payment, so one key gives one result
 * however many retries race; a replay rebuilds the answer from the stored order. A failed
 * request, and one abandoned by its client or its deadline, gives its key back at once,
 * so a retry runs again: the order statement places an order only while its own claim (a
 * token per request) still holds, with the key's row locked, so a retry that took the key
 * over never adds a second order.
 */
@Component
class IdempotencyKeys {

	private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

	private final DatabaseClient db;

	private final OrderingProperties properties;

	IdempotencyKeys(DatabaseClient db, OrderingProperties properties) {
		this.db = db;
		this.properties = properties;
	}

	/**
	 * An answer: its status, JSON body and Location; {@code replayed} when it is the
	 * stored answer of an earlier request with the same key.
	 */
	record Reply(int status, String body, String location, boolean replayed) {
	}

	/**
	 * A request's hold on its key: the key and the token of this request's claim.
	 */
	record Claim(String key, UUID token) {
	}

	/**
	 * Runs {@code work} once per key and request: a retry with the same request gets the
	 * first answer again ({@code rebuild}, given the order stored with the key), another
	 * request with the key 422 {@code idempotency_key_reused}, a retry while the first
	 * still runs 409 {@code request_in_progress}. No key: the work runs.
	 */
	Mono<Reply> once(UUID account, String key, String request, Function<Claim, Mono<Reply>> work,
			Function<UUID, Mono<Reply>> rebuild) {
		if (key == null) {
			return work.apply(null);
		}
		if (!KEY.matcher(key).matches()) {
			return Mono.error(ApiException.invalid("Idempotency-Key", "must be 1 to 255 printable ASCII characters"));
		}
		String hash = sha256(request);
		// never shown to anyone, only told apart: no SecureRandom (it may block an event
		// loop)
		ThreadLocalRandom random = ThreadLocalRandom.current();
		Claim claim = new Claim(key, new UUID(random.nextLong(), random.nextLong()));
		// the claim runs to its end even when this request is cancelled (client gone,
		// deadline passed), so that a claim that lands after the cancellation is given
		// back
		CompletableFuture<Boolean> claiming = claim(account, claim, hash).toFuture();
		return Mono.fromFuture(claiming, true)
			.flatMap((owned) -> owned ? run(account, claim, work)
					: stored(account, key).flatMap((row) -> answer(row, hash, rebuild)))
			.doOnCancel(() -> Mono.fromFuture(claiming, true)
				.filter(Boolean::booleanValue)
				.flatMap((owned) -> release(account, claim))
				.onErrorResume((ex) -> Mono.empty())
				.subscribe());
	}

	private Mono<Reply> run(UUID account, Claim claim, Function<Claim, Mono<Reply>> work) {
		// the order or payment statement completed the key (status and order) in its own
		// transaction; a replay rebuilds the answer from them, so no further write here
		return work.apply(claim).onErrorResume((ex) -> release(account, claim).then(Mono.error(ex)));
	}

	private Mono<Reply> answer(Stored row, String hash, Function<UUID, Mono<Reply>> rebuild) {
		if (!row.requestHash().equals(hash)) {
			return Mono.error(new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency_key_reused",
					"This Idempotency-Key was used for another request; use a new key for a new request."));
		}
		if (row.status() == null) {
			return Mono.error(new ApiException(HttpStatus.CONFLICT, "request_in_progress",
					"A request with this Idempotency-Key is still running; retry after it finishes."));
		}
		return rebuild.apply(row.orderId())
			.map((reply) -> new Reply(reply.status(), reply.body(), reply.location(), true));
	}

	/**
	 * Whether this request now owns the key: a new key, an expired one, or the lapsed
	 * claim of a request with the same body that never finished.
	 */
	private Mono<Boolean> claim(UUID account, Claim claim, String hash) {
		return this.db.sql("""
				insert into idempotency_keys (account_id, key, request_hash, locked_until, claim)
				values (:account, :key, :hash, now() + make_interval(secs => :lease), :claim)
				on conflict (account_id, key) do update
				    set request_hash = excluded.request_hash, locked_until = excluded.locked_until, status = null,
				        body = null, location = null, order_id = null, created_at = now(), claim = excluded.claim
				    where idempotency_keys.created_at < now() - make_interval(secs => :ttl)
				       or (idempotency_keys.status is null and idempotency_keys.locked_until < now()
				           and idempotency_keys.request_hash = excluded.request_hash)
				returning true as owned""")
			.bind("account", account)
			.bind("key", claim.key())
			.bind("claim", claim.token())
			.bind("hash", hash)
			.bind("lease", (double) this.properties.idempotencyLease().toMillis() / 1000)
			.bind("ttl", (double) this.properties.idempotencyTtl().toSeconds())
			.map((row) -> true)
			.one()
			.defaultIfEmpty(false);
	}

	private record Stored(String requestHash, Integer status, UUID orderId) {
	}

	private Mono<Stored> stored(UUID account, String key) {
		return this.db.sql("""
				select request_hash, status, order_id from idempotency_keys
				where account_id = :account and key = :key""")
			.bind("account", account)
			.bind("key", key)
			.map((row) -> new Stored(row.get("request_hash", String.class), row.get("status", Integer.class),
					row.get("order_id", UUID.class)))
			.one()
			// given back between our claim and this read: the other request failed
			.switchIfEmpty(Mono.error(() -> new ApiException(HttpStatus.CONFLICT, "request_in_progress",
					"A request with this Idempotency-Key just finished; retry.")));
	}

	private Mono<Void> release(UUID account, Claim claim) {
		return this.db.sql("""
				delete from idempotency_keys
				where account_id = :account and key = :key and claim = :claim and status is null""")
			.bind("account", account)
			.bind("key", claim.key())
			.bind("claim", claim.token())
			.then()
			.onErrorResume((ex) -> Mono.empty());
	}

	/**
	 * Deletes keys older than their time to live; how many.
	 */
	Mono<Long> prune() {
		return this.db.sql("""
				delete from idempotency_keys where (account_id, key) in (
				    select account_id, key from idempotency_keys
				    where created_at < now() - make_interval(secs => :ttl) limit 10000)""")
			.bind("ttl", (double) this.properties.idempotencyTtl().toSeconds())
			.fetch()
			.rowsUpdated();
	}

	private static String sha256(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
