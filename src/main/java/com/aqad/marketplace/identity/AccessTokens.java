package com.aqad.marketplace.identity;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.stereotype.Component;

/**
 * Issues our access tokens and decodes them: RS256 only (the algorithm is pinned, so
 * {@code none} and HMAC-with-the-public-key tokens fail), the key chosen by {@code kid},
 * {@code iss}, {@code aud}, {@code exp}, {@code nbf} checked with a small clock skew.
 */
@Component
class AccessTokens {

	static final String SESSION = "sid";

	static final String ROLE = "role";

	static final String ORGANIZATION = "org";

	/** the account's rate-limit tier */
	static final String TIER = "tier";

	private final IdentityProperties properties;

	private final SigningKeys keys;

	private final NimbusJwtEncoder encoder;

	private final Clock clock;

	AccessTokens(IdentityProperties properties, Clock clock) {
		this.properties = properties;
		this.keys = SigningKeys.from(properties);
		this.encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(this.keys.active())));
		this.clock = clock;
	}

	/**
	 * A signed access token for this account's session. RSA signing draws from the
	 * platform's SecureRandom (blinding), which may read the entropy device: it runs on
	 * the bounded elastic scheduler, never on an event loop.
	 */
	Mono<String> issue(Account account, String sessionId) {
		return Mono.fromCallable(() -> sign(account, sessionId)).subscribeOn(Schedulers.boundedElastic());
	}

	private String sign(Account account, String sessionId) {
		Instant now = this.clock.instant();
		JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
			.issuer(this.properties.issuer())
			.subject(account.id().toString())
			.audience(List.of(this.properties.audience()))
			.issuedAt(now)
			.notBefore(now)
			.expiresAt(now.plus(this.properties.accessTokenTtl()))
			.id(new UUID(ThreadLocalRandom.current().nextLong(), ThreadLocalRandom.current().nextLong()).toString())
			.claim(SESSION, sessionId)
			.claim(ROLE, account.role().name())
			.claim(TIER, account.tier());
		if (account.organizationId() != null) {
			claims.claim(ORGANIZATION, account.organizationId().toString());
		}
		JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256)
			.keyId(this.keys.active().getKeyID())
			.type("JWT")
			.build();
		return this.encoder.encode(JwtEncoderParameters.from(header, claims.build())).getTokenValue();
	}

	long expiresInSeconds() {
		return this.properties.accessTokenTtl().toSeconds();
	}

	ReactiveJwtDecoder decoder() {
		NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder
			.withJwkSource((jwt) -> Flux.fromIterable(this.keys.verifying(jwt.getHeader().getKeyID())))
			.jwsAlgorithm(SignatureAlgorithm.RS256)
			.build();
		decoder.setJwtValidator(validator(this.properties.issuer(), this.properties.audience()));
		return decoder;
	}

	OAuth2TokenValidator<Jwt> validator(String issuer, String audience) {
		JwtTimestampValidator timestamps = new JwtTimestampValidator(this.properties.clockSkew());
		timestamps.setClock(this.clock);
		// a typ is required (ours say JWT; RFC 9068 access tokens of a provider say
		// at+jwt),
		// and so is an exp: a token without one would never end
		JwtTypeValidator type = new JwtTypeValidator("JWT", "at+jwt");
		type.setAllowEmpty(false);
		JwtClaimValidator<Object> expires = new JwtClaimValidator<>(JwtClaimNames.EXP, Objects::nonNull);
		if (audience == null || audience.isBlank()) {
			return new DelegatingOAuth2TokenValidator<>(type, expires, timestamps, new JwtIssuerValidator(issuer));
		}
		return new DelegatingOAuth2TokenValidator<>(type, expires, timestamps, new JwtIssuerValidator(issuer),
				new JwtAudienceValidator(audience));
	}

	java.util.Map<String, Object> jwks() {
		return this.keys.publishedJson();
	}

}
