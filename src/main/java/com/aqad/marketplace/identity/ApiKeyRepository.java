package com.aqad.marketplace.identity;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * API keys in PostgreSQL: only the digest of each secret.
 */
@Repository
class ApiKeyRepository {

	private static final String COLUMNS = "select k.id, k.account_id, k.name, k.prefix, k.scopes, k.created_at from api_keys k";

	private final DatabaseClient db;

	ApiKeyRepository(DatabaseClient db) {
		this.db = db;
	}

	Mono<ApiKey> insert(UUID accountId, String name, String prefix, String digest, Set<Scope> scopes) {
		return this.db
			.sql("insert into api_keys (account_id, name, prefix, secret_hash, scopes) "
					+ "values (:account, :name, :prefix, decode(:digest, 'base64'), :scopes) "
					+ "returning id, account_id, name, prefix, scopes, created_at")
			.bind("account", accountId)
			.bind("name", name)
			.bind("prefix", prefix)
			.bind("digest", base64(digest))
			.bind("scopes", scopes.stream().map(Scope::value).sorted().toArray(String[]::new))
			.map(ApiKeyRepository::apiKey)
			.one();
	}

	Flux<ApiKey> findLive(UUID accountId) {
		return this.db
			.sql(COLUMNS + " where k.account_id = :account and k.revoked_at is null order by k.created_at desc")
			.bind("account", accountId)
			.map(ApiKeyRepository::apiKey)
			.all();
	}

	/**
	 * Revokes one of the account's live keys; false when it has no such key.
	 */
	Mono<Boolean> revoke(UUID accountId, UUID id) {
		return this.db.sql(
				"update api_keys set revoked_at = now() where id = :id and account_id = :account and revoked_at is null")
			.bind("id", id)
			.bind("account", accountId)
			.fetch()
			.rowsUpdated()
			.map((count) -> count > 0);
	}

	/**
	 * The live key with this digest, with its owner's account, when the account is
	 * active.
	 */
	Mono<Caller> findCaller(String digest) {
		return this.db
			.sql("select k.id, k.scopes, a.id as account_id, a.role, a.organization_id, a.tier from api_keys k "
					+ "join accounts a on a.id = k.account_id "
					+ "where k.secret_hash = decode(:digest, 'base64') and k.revoked_at is null and a.status = 'ACTIVE'")
			.bind("digest", base64(digest))
			.map((row) -> new Caller(row.get("account_id", UUID.class), Role.valueOf(row.get("role", String.class)),
					row.get("organization_id", UUID.class), null, row.get("id", UUID.class), scopes(row),
					row.get("tier", String.class)))
			.one();
	}

	private static ApiKey apiKey(Readable row) {
		return new ApiKey(row.get("id", UUID.class), row.get("name", String.class), row.get("prefix", String.class),
				scopes(row), row.get("created_at", OffsetDateTime.class).toInstant());
	}

	private static Set<Scope> scopes(Readable row) {
		return Arrays.stream(row.get("scopes", String[].class))
			.map((value) -> Scope.of(value).orElseThrow())
			.collect(Collectors.toUnmodifiableSet());
	}

	/**
	 * Our digests are base64url; PostgreSQL's decode wants standard base64 with padding.
	 */
	private static String base64(String base64url) {
		String standard = base64url.replace('-', '+').replace('_', '/');
		return standard + "=".repeat((4 - standard.length() % 4) % 4);
	}

}
