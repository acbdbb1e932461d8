package com.aqad.marketplace.identity;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import com.aqad.marketplace.platform.devservices.DataServices;

/**
 * Access tokens made by hand, to test what the server does with tokens it did not issue
 * (or issued differently).
 */
final class TestTokens {

	/** the kid of the throwaway key the dev services configure */
	static final String THROWAWAY_KID = "local-throwaway";

	private TestTokens() {
	}

	/**
	 * The dev services' throwaway signing key: tokens signed with it are ours.
	 */
	static RSAPrivateCrtKey throwawayKey() {
		String pem = DataServices.throwawaySigningKey().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
		try {
			return (RSAPrivateCrtKey) KeyFactory.getInstance("RSA")
				.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Valid access-token claims for this caller, for five minutes.
	 */
	static JWTClaimsSet.Builder claims(UUID accountId, String sessionId, Role role, UUID organizationId) {
		Instant now = Instant.now();
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer("http://localhost:8080")
			.subject(accountId.toString())
			.audience("aqad-marketplace")
			.issueTime(Date.from(now))
			.notBeforeTime(Date.from(now))
			.expirationTime(Date.from(now.plusSeconds(300)))
			.jwtID(UUID.randomUUID().toString())
			.claim("sid", sessionId)
			.claim("role", role.name());
		if (organizationId != null) {
			claims.claim("org", organizationId.toString());
		}
		return claims;
	}

	/**
	 * An RS256 JWT with this kid, signed with this key.
	 */
	static String rs256(String kid, RSAPrivateKey key, JWTClaimsSet claims) {
		SignedJWT jwt = new SignedJWT(
				new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
		try {
			jwt.sign(new RSASSASigner(key));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return jwt.serialize();
	}

}
