package com.aqad.marketplace.identity;

import java.io.IOException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

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
		DataServices.unreachableRedis(registry);
	}

	@Autowired
	private WebTestClient http;

	@Test
	void aValidTokenIsNotTrustedWhenItsSessionCannotBeChecked() {
		String token = TestTokens.rs256(TestTokens.THROWAWAY_KID, TestTokens.throwawayKey(),
				TestTokens.claims(UUID.randomUUID(), "some-session", Role.RETAILER, UUID.randomUUID()).build());
		this.http.get()
			.uri("/api/v1/me")
			.headers((headers) -> headers.setBearerAuth(token))
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
