package com.aqad.marketplace.identity;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;

/**
 * The RS256 keys from configuration: the active one signs, all of them verify and are
 * published. RS256 because verifying it costs ~31 µs here against ~380 µs for ES256, and
 * every request verifies while only logins sign.
 */
final class SigningKeys {

	private static final int MIN_BITS = 2048;

	private final Map<String, RSAKey> keys;

	private final RSAKey active;

	private final JWKSet published;

	private SigningKeys(Map<String, RSAKey> keys, RSAKey active) {
		this.keys = keys;
		this.active = active;
		this.published = new JWKSet(
				keys.values().stream().map((key) -> (com.nimbusds.jose.jwk.JWK) key.toPublicJWK()).toList());
	}

	static SigningKeys from(IdentityProperties properties) {
		if (properties.keys().isEmpty()) {
			throw new IllegalStateException("No token signing key is configured: set aqad.identity.keys[0].id and "
					+ "aqad.identity.keys[0].private-key (an RSA private key, PKCS#8 PEM, at least 2048 bits)");
		}
		Map<String, RSAKey> keys = new LinkedHashMap<>();
		for (IdentityProperties.Key key : properties.keys()) {
			if (keys.put(key.id(), parse(key)) != null) {
				throw new IllegalStateException("Two signing keys have the id '" + key.id() + "'");
			}
		}
		String activeId = (properties.activeKey() != null) ? properties.activeKey() : properties.keys().get(0).id();
		RSAKey active = keys.get(activeId);
		if (active == null || !active.isPrivate()) {
			throw new IllegalStateException(
					"The active signing key '" + activeId + "' is not configured with a private key");
		}
		return new SigningKeys(keys, active);
	}

	RSAKey active() {
		return this.active;
	}

	/**
	 * The keys that verify a token with this {@code kid}: one or none.
	 */
	List<com.nimbusds.jose.jwk.JWK> verifying(String kid) {
		RSAKey key = (kid != null) ? this.keys.get(kid) : null;
		return (key != null) ? List.of(key.toPublicJWK()) : List.of();
	}

	Map<String, Object> publishedJson() {
		return this.published.toJSONObject(true);
	}

	private static RSAKey parse(IdentityProperties.Key key) {
		try {
			KeyFactory rsa = KeyFactory.getInstance("RSA");
			RSAPublicKey publicKey;
			RSAPrivateCrtKey privateKey = null;
			if (key.privateKey() != null && !key.privateKey().isBlank()) {
				privateKey = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(pem(key.privateKey())));
				publicKey = (RSAPublicKey) rsa
					.generatePublic(new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
			}
			else if (key.publicKey() != null && !key.publicKey().isBlank()) {
				publicKey = (RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(pem(key.publicKey())));
			}
			else {
				throw new IllegalStateException(
						"Signing key '" + key.id() + "' has neither private-key nor public-key");
			}
			if (publicKey.getModulus().bitLength() < MIN_BITS) {
				throw new IllegalStateException("Signing key '" + key.id() + "' is shorter than " + MIN_BITS + " bits");
			}
			RSAKey.Builder builder = new RSAKey.Builder(publicKey).keyID(key.id())
				.keyUse(KeyUse.SIGNATURE)
				.algorithm(JWSAlgorithm.RS256);
			if (privateKey != null) {
				builder.privateKey(privateKey);
			}
			return builder.build();
		}
		catch (GeneralSecurityException | ClassCastException | IllegalArgumentException ex) {
			// never echo the key material
			throw new IllegalStateException("Signing key '" + key.id() + "' is not a valid RSA PEM key", null);
		}
	}

	private static byte[] pem(String text) {
		List<String> body = new ArrayList<>();
		for (String line : text.strip().split("\\R")) {
			if (!line.startsWith("-----")) {
				body.add(line.strip());
			}
		}
		return Base64.getMimeDecoder().decode(String.join("", body));
	}

}
