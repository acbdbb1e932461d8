package com.aqad.marketplace.identity;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import com.aqad.marketplace.identity.TestAccounts.SignedIn;
import com.aqad.marketplace.platform.devservices.ApiTest;
import com.aqad.marketplace.platform.devservices.DataServices;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key rotation in progress: the new key signs, the retired key (its public half only)
 * still verifies the tokens it signed, and both are published, so nobody is signed out.
 */
@ApiTest
class KeyRotationTests {

	private static final KeyPair NEW = rsa();

	private static final KeyPair RETIRED = rsa();

	@Autowired
	private WebTestClient http;

	@DynamicPropertySource
	static void rotating(DynamicPropertyRegistry registry) {
		registry.add("aqad.identity.keys[0].id", () -> "2026-11");
		registry.add("aqad.identity.keys[0].private-key", () -> DataServices.pem(NEW.getPrivate().getEncoded()));
		registry.add("aqad.identity.keys[1].id", () -> "2026-10");
		registry.add("aqad.identity.keys[1].public-key",
				() -> "-----BEGIN PUBLIC KEY-----\n"
						+ Base64.getMimeEncoder().encodeToString(RETIRED.getPublic().getEncoded())
						+ "\n-----END PUBLIC KEY-----\n");
	}

	@Test
	void bothKeysArePublishedAndOnlyTheActiveOneSigns() throws Exception {
		this.http.get()
			.uri("/.well-known/jwks.json")
			.exchange()
			.expectBody()
			.jsonPath("$.keys[*].kid")
			.isEqualTo(java.util.List.of("2026-11", "2026-10"));
		SignedIn vendor = new TestAccounts(this.http).register(Role.VENDOR);
		assertThat(SignedJWT.parse(vendor.accessToken()).getHeader().getKeyID()).isEqualTo("2026-11");
	}

	@Test
	void tokensSignedWithTheRetiredKeyStillVerify() throws Exception {
		SignedIn vendor = new TestAccounts(this.http).register(Role.VENDOR);
		JWTClaimsSet claims = new JWTClaimsSet.Builder(SignedJWT.parse(vendor.accessToken()).getJWTClaimsSet())
			.jwtID(UUID.randomUUID().toString())
			.issueTime(Date.from(Instant.now()))
			.build();
		String old = TestTokens.rs256("2026-10", (RSAPrivateKey) RETIRED.getPrivate(), claims);
		this.http.get()
			.uri("/api/v1/me")
			.headers((headers) -> headers.setBearerAuth(old))
			.exchange()
			.expectStatus()
			.isOk();
		// the same token claiming the other key's id does not verify
		String mislabelled = TestTokens.rs256("2026-11", (RSAPrivateKey) RETIRED.getPrivate(), claims);
		this.http.get()
			.uri("/api/v1/me")
			.headers((headers) -> headers.setBearerAuth(mislabelled))
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	private static KeyPair rsa() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			return generator.generateKeyPair();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
