package com.aqad.marketplace.identity;

import java.io.IOException;
import java.net.ServerSocket;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import com.aqad.marketplace.platform.devservices.ApiTest;
import com.aqad.marketplace.platform.devservices.DataServices;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Redis is down: sessions cannot be checked, so a perfectly signed token is not taken on
 * trust (503, fail closed), and sign-in says the service is unavailable rather than
 * failing obscurely; the public catalog keeps answering (see CatalogWithoutRedisTests).
 */
@ApiTest
class IdentityWithoutRedisTests {

	@DynamicPropertySource
	static void redisWhereNothingListens(DynamicPropertyRegistry registry) throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		registry.add("spring.data.redis.host", () -> "127.0.0.1");
		registry.add("spring.data.redis.port", () -> closedPort);
	}

	@Autowired
	private WebTestClient http;

	@Test
	void aValidTokenIsNotTrustedWhenItsSessionCannotBeChecked() throws Exception {
		Instant now = Instant.now();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("http://localhost:8080")
			.subject(UUID.randomUUID().toString())
			.audience("aqad-marketplace")
			.issueTime(Date.from(now))
			.notBeforeTime(Date.from(now))
			.expirationTime(Date.from(now.plusSeconds(300)))
			.jwtID(UUID.randomUUID().toString())
			.claim("sid", "some-session")
			.claim("role", "RETAILER")
			.claim("org", UUID.randomUUID().toString())
			.build();
		SignedJWT jwt = new SignedJWT(
				new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("local-throwaway").type(JOSEObjectType.JWT).build(),
				claims);
		String pem = DataServices.throwawaySigningKey().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
		jwt.sign(new RSASSASigner((RSAPrivateKey) KeyFactory.getInstance("RSA")
			.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)))));
		this.http.get()
			.uri("/api/v1/me")
			.headers((headers) -> headers.setBearerAuth(jwt.serialize()))
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("session_store_unavailable");
	}

	@Test
	void signInIsUnavailableRatherThanBroken() {
		this.http.post()
			.uri("/api/v1/auth/login")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("email", "admin@aqad.local", "password", "local-admin-password"))
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.valueEquals(HttpHeaders.RETRY_AFTER, "1")
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("service_unavailable");
	}

}
