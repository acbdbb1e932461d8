package com.aqad.marketplace.identity;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;

import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Remembers each bearer token that passed full verification (signature, {@code kid},
 * {@code iss}, {@code aud}, {@code exp}, {@code nbf}, our claims) until it expires, so
 * that the next request with it skips parsing and RSA verification; its session is still
 * checked on every request ({@link Revocations}). A token is only ever remembered by its
 * exact text, after it was verified, and never past its own {@code exp}.
 */
final class VerifiedTokens implements ReactiveAuthenticationManager {

	private final ReactiveAuthenticationManager verifier;

	private final TokenCallers callers;

	private final Clock clock;

	private final int capacity;

	private final Map<String, Verified> verified = new ConcurrentHashMap<>();

	VerifiedTokens(ReactiveAuthenticationManager verifier, TokenCallers callers, Clock clock, int capacity) {
		this.verifier = verifier;
		this.callers = callers;
		this.clock = clock;
		this.capacity = capacity;
	}

	@Override
	public Mono<Authentication> authenticate(Authentication authentication) {
		if (!(authentication instanceof BearerTokenAuthenticationToken bearer)) {
			return this.verifier.authenticate(authentication);
		}
		String token = bearer.getToken();
		Instant now = this.clock.instant();
		Verified known = unexpired(token, now);
		if (known != null) {
			return this.callers.whenLive(known.authentication());
		}
		return this.verifier.authenticate(authentication).doOnNext((result) -> {
			if (result instanceof CallerAuthentication caller && caller.expiresAt() != null) {
				remember(token, new Verified(caller, caller.expiresAt()), now);
			}
		});
	}

	/**
	 * The authentication of a token remembered as verified, unexpired, whose session this
	 * instance knows to be live without asking Redis; otherwise {@code null} (then
	 * {@link #authenticate} decides, asking Redis or verifying as needed).
	 */
	CallerAuthentication remembered(String token) {
		Verified known = unexpired(token, this.clock.instant());
		return (known != null && this.callers.knownLive(known.authentication())) ? known.authentication() : null;
	}

	/** the token's entry while it has not expired; an expired one is forgotten */
	private Verified unexpired(String token, Instant now) {
		Verified known = this.verified.get(token);
		if (known != null && !now.isBefore(known.expiresAt())) {
			this.verified.remove(token, known);
			return null;
		}
		return known;
	}

	private void remember(String token, Verified entry, Instant now) {
		if (this.verified.size() >= this.capacity) {
			this.verified.values().removeIf((old) -> !now.isBefore(old.expiresAt()));
			if (this.verified.size() >= this.capacity) {
				this.verified.clear();
			}
		}
		this.verified.put(token, entry);
	}

	private record Verified(CallerAuthentication authentication, Instant expiresAt) {
	}

}
