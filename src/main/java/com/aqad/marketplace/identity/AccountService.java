package com.aqad.marketplace.identity;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import com.aqad.marketplace.platform.web.ApiException;
import com.aqad.marketplace.platform.web.Page;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Accounts, sign-in and sessions.
 */
@Service
class AccountService {

	/** the rate-limit tier of an account created without one */
	static final String DEFAULT_TIER = "free";

	private final AccountRepository accounts;

	private final PasswordHashing passwords;

	private final Sessions sessions;

	private final Revocations revocations;

	private final AccessTokens tokens;

	private final IdentityProperties properties;

	private final TransactionalOperator transaction;

	private final SecurityEvents events;

	AccountService(AccountRepository accounts, PasswordHashing passwords, Sessions sessions, Revocations revocations,
			AccessTokens tokens, IdentityProperties properties, TransactionalOperator transaction,
			SecurityEvents events) {
		this.accounts = accounts;
		this.passwords = passwords;
		this.sessions = sessions;
		this.revocations = revocations;
		this.tokens = tokens;
		this.properties = properties;
		this.transaction = transaction;
		this.events = events;
	}

	/**
	 * A new account; vendors and retailers get a new organization named
	 * {@code organizationName} or join the existing {@code organizationId}.
	 */
	Mono<Account> create(NewAccount request) {
		return this.passwords.hash(request.password())
			.flatMap((hash) -> organizationFor(request)
				.flatMap((organizationId) -> this.accounts.insert(request.email(), hash, request.role(),
						organizationId.orElse(null), (request.tier() != null) ? request.tier() : DEFAULT_TIER))
				.as(this.transaction::transactional))
			.onErrorMap(DuplicateKeyException.class, (ex) -> new ApiException(HttpStatus.CONFLICT, "email_taken",
					"An account with this email exists already."));
	}

	/**
	 * Creates the account unless its email is taken (by an earlier start, or another
	 * instance starting at the same moment): whether it was created.
	 */
	Mono<Boolean> createIfAbsent(NewAccount request) {
		return create(request).thenReturn(true)
			.onErrorReturn((ex) -> ex instanceof ApiException api && api.code().equals("email_taken"), false);
	}

	private Mono<Optional<UUID>> organizationFor(NewAccount request) {
		if (!request.role().hasOrganization()) {
			return Mono.just(Optional.empty());
		}
		if (request.organizationId() != null) {
			return this.accounts.organizationExists(request.organizationId(), request.role())
				.flatMap((exists) -> exists ? Mono.just(Optional.of(request.organizationId()))
						: Mono.error(ApiException.invalid("organizationId",
								"no " + request.role().name().toLowerCase() + " organization has this id")));
		}
		return this.accounts.insertOrganization(request.organizationName(), request.role()).map(Optional::of);
	}

	/**
	 * Signs in: the same failure, after the same work, for an unknown email, a wrong
	 * password and a suspended account.
	 */
	Mono<TokenPair> login(String email, String password) {
		// the hashing budget is taken first: a flood beyond it costs no database query
		return this.passwords
			.withinBudget(this.accounts.findByEmail(email)
				.map(Optional::of)
				.defaultIfEmpty(Optional.empty())
				.flatMap((found) -> found.isPresent()
						? this.passwords.matches(password, found.get().passwordHash())
							.map((matches) -> matches ? found : Optional.<Account>empty())
						: this.passwords.matchesNothing(password).thenReturn(Optional.<Account>empty())))
			.flatMap((match) -> {
				if (match.isEmpty()) {
					this.events.record("login_failed", "email", email, "reason", "invalid_credentials");
					return Mono.error(invalidCredentials());
				}
				Account account = match.get();
				if (!account.isActive()) {
					this.events.record("login_failed", "account", account.id(), "reason", "account_suspended");
					return Mono.error(invalidCredentials());
				}
				return startSession(account);
			});
	}

	private Mono<TokenPair> startSession(Account account) {
		return this.sessions.start(account.id())
			.flatMap((started) -> this.revocations.sessionsRevoked(started.evicted())
				.then(pair(account, started.sessionId(), started.refreshToken())));
	}

	/**
	 * Spends a refresh token for a new pair. A token spent before ends its whole session:
	 * whoever holds the newer token (perhaps a thief) is signed out too.
	 */
	Mono<TokenPair> refresh(String token) {
		RefreshToken presented = RefreshToken.parse(token).orElseThrow(AccountService::invalidRefreshToken);
		return this.sessions.rotate(presented).flatMap((rotation) -> switch (rotation.outcome()) {
			case ROTATED -> this.accounts.findById(presented.accountId())
				.filter(Account::isActive)
				.flatMap((account) -> pair(account, presented.sessionId(), rotation.next().encode()))
				.switchIfEmpty(Mono.defer(() -> endSession(presented.accountId(), presented.sessionId())
					.then(Mono.error(invalidRefreshToken()))));
			case REUSED -> {
				this.events.record("refresh_token_reused", "account", presented.accountId(), "session",
						presented.sessionId(), "action", "session_revoked");
				yield this.revocations.sessionsRevoked(List.of(presented.sessionId()))
					.then(Mono.error(invalidRefreshToken()));
			}
			case INVALID -> {
				this.events.record("refresh_token_rejected", "account", presented.accountId(), "reason", "unknown");
				yield Mono.error(invalidRefreshToken());
			}
		});
	}

	/**
	 * Ends one of the caller's sessions; 404 when it has no such session.
	 */
	Mono<Void> endSession(UUID accountId, String sessionId) {
		return this.sessions.revoke(accountId, sessionId).flatMap((ended) -> {
			if (!ended) {
				return Mono.error(ApiException.notFound("There is no such session."));
			}
			this.events.record("session_revoked", "account", accountId, "session", sessionId);
			return this.revocations.sessionsRevoked(List.of(sessionId));
		});
	}

	Flux<Sessions.SessionInfo> sessions(UUID accountId) {
		return this.sessions.list(accountId);
	}

	Mono<Account> account(UUID id) {
		return this.accounts.findById(id).switchIfEmpty(Mono.error(() -> ApiException.notFound("No such account.")));
	}

	Mono<Page<Account>> accounts(AccountCursor after, int limit) {
		return this.accounts
			.page((after != null) ? after.createdAt() : null, (after != null) ? after.id() : null, limit)
			.collectList()
			.map((rows) -> {
				boolean more = rows.size() > limit;
				List<Account> shown = more ? rows.subList(0, limit) : rows;
				String next = more ? AccountCursor.of(shown.get(shown.size() - 1)).encode() : null;
				return new Page<>(shown, next);
			});
	}

	/**
	 * Suspends an account: its sessions end, and its tokens and keys are refused on every
	 * instance from now on.
	 */
	Mono<Void> suspend(Caller admin, UUID id) {
		if (id.equals(admin.accountId())) {
			return Mono.error(new ApiException(HttpStatus.CONFLICT, "cannot_suspend_self",
					"An administrator cannot suspend their own account."));
		}
		return this.accounts.suspend(id)
			.switchIfEmpty(Mono.error(() -> ApiException.notFound("No such account.")))
			.flatMap((account) -> this.sessions.revokeAll(id)
				.flatMap((ended) -> this.revocations.accountRevoked(id)
					.then(this.revocations.sessionsRevoked(ended))
					.doOnSuccess((done) -> this.events.record("account_suspended", "account", id, "by",
							admin.accountId(), "sessions_revoked", ended.size()))));
	}

	Mono<Boolean> anyAdmin() {
		return this.accounts.anyAdmin();
	}

	/**
	 * The oldest organization of this kind, if any.
	 */
	Mono<UUID> firstOrganization(Role kind) {
		return this.accounts.firstOrganization(kind);
	}

	private Mono<TokenPair> pair(Account account, String sessionId, String refreshToken) {
		return this.tokens.issue(account, sessionId)
			.map((access) -> new TokenPair(access, "Bearer", this.tokens.expiresInSeconds(), refreshToken,
					this.properties.refreshTokenTtl().toSeconds()));
	}

	static ApiException invalidCredentials() {
		return new ApiException(HttpStatus.UNAUTHORIZED, "invalid_credentials", "The email or password is wrong.");
	}

	static ApiException invalidRefreshToken() {
		return new ApiException(HttpStatus.UNAUTHORIZED, "invalid_refresh_token",
				"The refresh token is not valid; sign in again.");
	}

	/**
	 * What creating an account needs (already validated).
	 */
	record NewAccount(String email, String password, Role role, String organizationName, UUID organizationId,
			String tier) {

		NewAccount(String email, String password, Role role, String organizationName, UUID organizationId) {
			this(email, password, role, organizationName, organizationId, null);
		}

		@Override
		public String toString() {
			return "NewAccount[email=" + this.email + ", role=" + this.role + "]";
		}

	}

	/**
	 * The answer to a login or refresh.
	 */
	record TokenPair(String accessToken, String tokenType, long expiresIn, String refreshToken, long refreshExpiresIn) {

		@Override
		public String toString() {
			return "TokenPair[expiresIn=" + this.expiresIn + "]";
		}

	}

}
