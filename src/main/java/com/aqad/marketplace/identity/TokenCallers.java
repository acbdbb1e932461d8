package com.aqad.marketplace.identity;

import java.util.EnumSet;
import java.util.UUID;

import reactor.core.publisher.Mono;

import com.aqad.marketplace.platform.web.ApiException;

import org.springframework.core.convert.converter.Converter;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.stereotype.Component;

/**
 * Turns one of our verified access tokens into its {@link Caller}, once its session is
 * known to be live (see {@link Revocations}).
 */
@Component
class TokenCallers implements Converter<Jwt, Mono<AbstractAuthenticationToken>> {

	private final Revocations revocations;

	TokenCallers(Revocations revocations) {
		this.revocations = revocations;
	}

	@Override
	public Mono<AbstractAuthenticationToken> convert(Jwt jwt) {
		Caller caller;
		try {
			String organization = jwt.getClaimAsString(AccessTokens.ORGANIZATION);
			caller = new Caller(UUID.fromString(jwt.getSubject()),
					Role.valueOf(jwt.getClaimAsString(AccessTokens.ROLE)),
					(organization != null) ? UUID.fromString(organization) : null,
					requireSession(jwt.getClaimAsString(AccessTokens.SESSION)), null, EnumSet.allOf(Scope.class),
					jwt.getClaimAsString(AccessTokens.TIER));
		}
		catch (IllegalArgumentException | NullPointerException ex) {
			return Mono.error(new InvalidBearerTokenException("The token lacks the claims of an access token"));
		}
		return whenLive(new CallerAuthentication(caller, jwt.getExpiresAt())).cast(AbstractAuthenticationToken.class);
	}

	/**
	 * Whether this instance knows, without asking Redis, that the caller's session is
	 * still live.
	 */
	boolean knownLive(CallerAuthentication authentication) {
		Caller caller = authentication.getPrincipal();
		return Boolean.TRUE.equals(this.revocations.knownLive(caller.accountId(), caller.sessionId()));
	}

	/**
	 * The caller's authentication if its session is still live.
	 */
	Mono<Authentication> whenLive(CallerAuthentication authentication) {
		Caller caller = authentication.getPrincipal();
		return this.revocations.isLive(caller.accountId(), caller.sessionId())
			.onErrorMap((ex) -> !(ex instanceof AuthenticationException),
					(ex) -> new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "session_store_unavailable",
							"Sessions cannot be checked right now; try again shortly."))
			.flatMap((live) -> live ? Mono.<Authentication>just(authentication)
					: Mono.error(new InvalidBearerTokenException("The session of this token has ended")));
	}

	private static String requireSession(String sid) {
		if (sid == null || sid.isEmpty() || sid.length() > 64) {
			throw new IllegalArgumentException("sid");
		}
		return sid;
	}

}
