package com.aqad.marketplace.identity;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Locale;
import java.util.UUID;

import reactor.core.publisher.Mono;

import com.aqad.marketplace.platform.web.Ids;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

/**
 * Maps a token of the trusted external OpenID provider to a {@link Caller}: the role from
 * {@code role-claim} (one of our role names), the organization from
 * {@code organization-claim} (required for vendors and retailers), the account from
 * {@code account-claim} (our account id when it is one, otherwise an id derived from the
 * issuer and the claim). Such tokens have no session of ours; the provider revokes them.
 */
final class ExternalCallers implements Converter<Jwt, Mono<AbstractAuthenticationToken>> {

	private final IdentityProperties.External external;

	ExternalCallers(IdentityProperties.External external) {
		this.external = external;
	}

	@Override
	public Mono<AbstractAuthenticationToken> convert(Jwt jwt) {
		try {
			Role role = Role.valueOf(required(jwt, this.external.roleClaim()).toUpperCase(Locale.ROOT));
			String organization = jwt.getClaimAsString(this.external.organizationClaim());
			UUID organizationId = (organization != null) ? UUID.fromString(organization) : null;
			if (role.hasOrganization() != (organizationId != null)) {
				throw new IllegalArgumentException("organization");
			}
			Caller caller = new Caller(account(jwt), role, organizationId, null, null, EnumSet.allOf(Scope.class),
					null);
			return Mono.just(new CallerAuthentication(caller, jwt.getExpiresAt()));
		}
		catch (IllegalArgumentException | NullPointerException ex) {
			return Mono.error(new InvalidBearerTokenException("The external token's claims do not map to a caller"));
		}
	}

	private UUID account(Jwt jwt) {
		String value = required(jwt, this.external.accountClaim());
		// one of our account ids, or else a stable id derived from the issuer and the
		// claim
		return Ids.parse(value)
			.orElseGet(() -> UUID
				.nameUUIDFromBytes((this.external.issuerUri() + "|" + value).getBytes(StandardCharsets.UTF_8)));
	}

	private static String required(Jwt jwt, String claim) {
		String value = jwt.getClaimAsString(claim);
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException(claim);
		}
		return value;
	}

}
