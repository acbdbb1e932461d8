package com.aqad.marketplace.identity;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * Accounts and their organizations in PostgreSQL.
 */
@Repository
class AccountRepository {

	private static final String COLUMNS = "select id, email, password_hash, role, organization_id, status, created_at, tier from accounts";

	private final DatabaseClient db;

	AccountRepository(DatabaseClient db) {
		this.db = db;
	}

	Mono<UUID> insertOrganization(String name, Role kind) {
		return this.db.sql("insert into organizations (name, kind) values (:name, :kind) returning id")
			.bind("name", name)
			.bind("kind", kind.name())
			.map((row) -> row.get("id", UUID.class))
			.one();
	}

	/**
	 * A new account; fails with a duplicate-key error when the email is taken.
	 */
	Mono<Account> insert(String email, String passwordHash, Role role, UUID organizationId, String tier) {
		var spec = this.db
			.sql("insert into accounts (email, password_hash, role, organization_id, tier) "
					+ "values (:email, :hash, :role, :organizationId, :tier) "
					+ "returning id, email, password_hash, role, organization_id, status, created_at, tier")
			.bind("email", email)
			.bind("hash", passwordHash)
			.bind("role", role.name())
			.bind("tier", tier);
		spec = (organizationId != null) ? spec.bind("organizationId", organizationId)
				: spec.bindNull("organizationId", UUID.class);
		return spec.map(AccountRepository::account).one();
	}

	Mono<Account> findByEmail(String email) {
		return this.db.sql(COLUMNS + " where email = :email")
			.bind("email", email)
			.map(AccountRepository::account)
			.one();
	}

	Mono<Account> findById(UUID id) {
		return this.db.sql(COLUMNS + " where id = :id").bind("id", id).map(AccountRepository::account).one();
	}

	Mono<Boolean> organizationExists(UUID id, Role kind) {
		return this.db.sql("select 1 from organizations where id = :id and kind = :kind")
			.bind("id", id)
			.bind("kind", kind.name())
			.map((row) -> true)
			.one()
			.defaultIfEmpty(false);
	}

	Mono<UUID> firstOrganization(Role kind) {
		return this.db.sql("select id from organizations where kind = :kind order by created_at, id limit 1")
			.bind("kind", kind.name())
			.map((row) -> row.get("id", UUID.class))
			.one();
	}

	Mono<Boolean> anyAdmin() {
		return this.db.sql("select 1 from accounts where role = 'ADMIN' limit 1")
			.map((row) -> true)
			.one()
			.defaultIfEmpty(false);
	}

	/**
	 * Newest first, keyset-paged; one row more than {@code limit} when a next page
	 * exists.
	 */
	Flux<Account> page(Instant afterCreatedAt, UUID afterId, int limit) {
		String where = (afterId != null) ? " where (created_at, id) < (:afterCreatedAt, :afterId)" : "";
		var spec = this.db.sql(COLUMNS + where + " order by created_at desc, id desc limit :limit")
			.bind("limit", limit + 1);
		if (afterId != null) {
			spec = spec.bind("afterCreatedAt", OffsetDateTime.ofInstant(afterCreatedAt, ZoneOffset.UTC))
				.bind("afterId", afterId);
		}
		return spec.map(AccountRepository::account).all();
	}

	/**
	 * Suspends an active account; empty when there is no such account.
	 */
	Mono<Account> suspend(UUID id) {
		return this.db.sql("update accounts set status = 'SUSPENDED', suspended_at = coalesce(suspended_at, now()) "
				+ "where id = :id returning id, email, password_hash, role, organization_id, status, created_at, tier")
			.bind("id", id)
			.map(AccountRepository::account)
			.one();
	}

	private static Account account(Readable row) {
		return new Account(row.get("id", UUID.class), row.get("email", String.class),
				row.get("password_hash", String.class), Role.valueOf(row.get("role", String.class)),
				row.get("organization_id", UUID.class), Account.Status.valueOf(row.get("status", String.class)),
				row.get("created_at", OffsetDateTime.class).toInstant(), row.get("tier", String.class));
	}

}
