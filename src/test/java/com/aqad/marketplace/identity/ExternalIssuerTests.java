package com.aqad.marketplace.identity;

import java.io.IOException;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.aqad.marketplace.MarketplaceApplication;
import com.aqad.marketplace.identity.TestAccounts.SignedIn;
import com.aqad.marketplace.platform.devservices.ApiTest;
import com.aqad.marketplace.platform.devservices.DataServices;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * This instance also trusts an external OpenID provider ({@code issuer-uri}): here
 * another application instance with its own issuer and signing key, whose discovery
 * document and keys are fetched over HTTP as any provider's would be. Its tokens are
 * mapped to our roles; our own tokens still work.
 */
@ApiTest(properties = { "management.server.port=0", "logging.level.org.springframework.security.oauth2=TRACE",
		"logging.level.org.springframework.web.reactive.function.client=DEBUG" })
class ExternalIssuerTests {

	private static ConfigurableApplicationContext provider;

	private static String providerUrl;

	@Autowired
	private WebTestClient http;

	@DynamicPropertySource
	static void trustAProvider(DynamicPropertyRegistry registry) throws Exception {
		int port = DataServices.freePort();
		providerUrl = "http://localhost:" + port;
		// arguments, not default properties: those lose to application.yaml
		provider = new SpringApplicationBuilder(MarketplaceApplication.class).run("--server.port=" + port,
				"--management.server.port=0", "--aqad.identity.issuer=" + providerUrl,
				"--aqad.identity.keys[0].id=provider-key", "--aqad.identity.keys[0].private-key=" + newKey());
		registry.add("aqad.identity.external.issuer-uri", () -> providerUrl);
		registry.add("aqad.identity.external.audience", () -> "aqad-marketplace");
	}

	@AfterAll
	static void stopProvider() {
		provider.close();
	}

	@Test
	void theProvidersTokensAreMappedToOurRoles() {
		WebTestClient atProvider = WebTestClient.bindToServer().baseUrl(providerUrl).build();
		SignedIn admin = new TestAccounts(atProvider).admin();
		atProvider.get()
			.uri("/.well-known/jwks.json")
			.exchange()
			.expectBody()
			.jsonPath("$.keys[0].kid")
			.isEqualTo("provider-key");
		atProvider.get()
			.uri("/.well-known/openid-configuration")
			.exchange()
			.expectBody()
			.jsonPath("$.jwks_uri")
			.isEqualTo(providerUrl + "/.well-known/jwks.json");
		org.assertj.core.api.Assertions
			.assertThat(new String(java.util.Base64.getUrlDecoder().decode(admin.accessToken().split("\\.")[0])))
			.contains("provider-key");
		this.http.get().uri("/api/v1/admin/accounts?limit=1").headers(admin::bearer).exchange().expectStatus().isOk();
		SignedIn retailer = new TestAccounts(atProvider).register(Role.RETAILER);
		this.http.get()
			.uri("/api/v1/me")
			.headers(retailer::bearer)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo(retailer.accountId().toString());
		this.http.get().uri("/api/v1/admin/accounts").headers(retailer::bearer).exchange().expectStatus().isForbidden();
		this.http.post().uri("/api/v1/auth/logout").headers(retailer::bearer).exchange().expectStatus().isNoContent();
	}

	@Test
	void ourOwnTokensStillWorkAndOthersDoNot() {
		SignedIn vendor = new TestAccounts(this.http).register(Role.VENDOR);
		this.http.get().uri("/api/v1/me").headers(vendor::bearer).exchange().expectStatus().isOk();
		// the provider does not trust us
		WebTestClient.bindToServer()
			.baseUrl(providerUrl)
			.build()
			.get()
			.uri("/api/v1/me")
			.headers(vendor::bearer)
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isUnauthorized();
		this.http.post()
			.uri("/api/v1/auth/login")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("email", vendor.email(), "password", TestAccounts.PASSWORD))
			.exchange()
			.expectStatus()
			.isOk();
	}

	private static String newKey() throws NoSuchAlgorithmException, IOException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		return DataServices.pem(generator.generateKeyPair().getPrivate().getEncoded());
	}

}
