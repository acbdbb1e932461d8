package com.aqad.marketplace.identity;

import java.util.Set;
import java.util.UUID;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import com.aqad.marketplace.platform.web.ApiException;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * API keys: created with a secret shown once, stored as a digest, checked against the
 * database on every use (so a revocation or a suspension holds on every instance at
 * once).
 */
@Service
class ApiKeyService {

	static final String PREFIX = "aqad_";

	private static final int MAX_LIVE_KEYS = 50;

	private final ApiKeyRepository keys;

	private final SecurityEvents events;

	ApiKeyService(ApiKeyRepository keys, SecurityEvents events) {
		this.keys = keys;
		this.events = events;
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
			return Mono.empty();
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
		return this.keys.findCaller(Secrets.digest(presented));
	}

}
