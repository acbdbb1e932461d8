package com.aqad.marketplace.identity;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import com.aqad.marketplace.platform.web.ApiException;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * API keys: created with a secret shown once, stored as a digest. A key found valid in
 * PostgreSQL is trusted from memory as sessions are ({@link Revocations}): revoking it or
 * suspending its account is published to every instance, and an instance that may have
 * missed a message asks the database again.
 */
@Service
class ApiKeyService {

	static final String PREFIX = "aqad_";

	private static final int MAX_LIVE_KEYS = 50;

	private static final int MAX_REMEMBERED = 100_000;

	private final ApiKeyRepository keys;

	private final SecurityEvents events;

	private final Revocations revocations;

	/** digest of a presented key → who it was found to stand for, and when */
	private final Map<String, Checked> checked = new ConcurrentHashMap<>();

	ApiKeyService(ApiKeyRepository keys, SecurityEvents events, Revocations revocations) {
		this.keys = keys;
		this.events = events;
		this.revocations = revocations;
	}

	Mono<ApiKey> create(Caller owner, String name, Set<Scope> scopes) {
		String secret = PREFIX + Secrets.random(32);
		String shown = secret.substring(0, PREFIX.length() + 6);
		return this.keys.findLive(owner.accountId())
			.count()
			.flatMap((live) -> (live >= MAX_LIVE_KEYS)
					? Mono.error(new ApiException(HttpStatus.CONFLICT, "too_many_api_keys",
							"An account may hold at most " + MAX_LIVE_KEYS + " live keys; revoke one."))
					: this.keys.insert(owner.accountId(), name, shown, Secrets.digest(secret), scopes))
			.map((created) -> created.withKey(secret))
			.doOnNext((created) -> this.events.record("api_key_created", "account", owner.accountId(), "key",
					created.id(), "scopes", String.join(",", created.scopes())));
	}

	Flux<ApiKey> list(Caller owner) {
		return this.keys.findLive(owner.accountId());
	}

	Mono<Void> revoke(Caller owner, UUID id) {
		return this.keys.revoke(owner.accountId(), id).flatMap((revoked) -> {
			if (!revoked) {
				return Mono.error(ApiException.notFound("There is no such API key."));
			}
			this.events.record("api_key_revoked", "account", owner.accountId(), "key", id);
			return this.revocations.keyRevoked(id);
		});
	}

	/**
	 * The caller a presented key stands for; empty when it is unknown, revoked or its
	 * account suspended.
	 */
	Mono<Caller> authenticate(String presented) {
		if (presented.length() != PREFIX.length() + 43 || !presented.startsWith(PREFIX)) {
			return Mono.empty();
		}
		String digest = Secrets.digest(presented);
		Checked known = this.checked.get(digest);
		if (known != null && this.revocations.trusts(known.caller().apiKeyId().toString(), known.caller().accountId(),
				known.at())) {
			return Mono.just(known.caller());
		}
		long at = System.nanoTime();
		return this.keys.findCaller(digest).doOnNext((caller) -> {
			if (this.checked.size() >= MAX_REMEMBERED) {
				this.checked.clear();
			}
			this.checked.put(digest, new Checked(caller, at));
		});
	}

	private record Checked(Caller caller, long at) {
	}

}
