package com.aqad.marketplace.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.aqad.marketplace.identity.TestAccounts.SignedIn;
import com.aqad.marketplace.platform.devservices.ApiTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.server.WebFilter;

@ApiTest(properties = { "management.server.port=0", "aqad.cors.allowed-origins=https://shop.example.com" })
@ExtendWith(OutputCaptureExtension.class)
class IdentityApiTests {

	@Autowired
	private WebTestClient http;

	@Autowired
	private JsonMapper json;

	@Autowired
	private List<WebFilter> filters;

	private TestAccounts accounts;

	@BeforeEach
	void accounts() {
		this.accounts = new TestAccounts(this.http);
	}

	/**
	 * The one security chain runs in place of Spring Security's generic proxy, firewall
	 * included (the matrix of AuthorizationMatrixTests holds through it).
	 */
	@Test
	void theSecurityChainRunsWithoutTheGenericProxyAndTheFirewallStillRefuses() {
		assertThat(this.filters).anyMatch(SecurityChainFilter.class::isInstance)
			.noneMatch(WebFilterChainProxy.class::isInstance);
		this.http.get()
			.uri("/api/v1/products/%2e%2e/orders")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("malformed_request");
		this.http.get().uri("/api/v1/me").exchange().expectStatus().isUnauthorized();
	}

	/**
	 * Requests without credentials, or with a bearer token, on a route open to everyone
	 * skip the chain's filters (the same access table decides, the same verifier reads
	 * the token); API keys, unreadable tokens and every other route still run the whole
	 * chain, and every answer is the chain's.
	 */
	@Test
	void onlyRequestsWithoutCredentialsOrWithABearerTokenOnOpenRoutesSkipTheChainsFilters() {
		SecurityChainFilter security = this.filters.stream()
			.filter(SecurityChainFilter.class::isInstance)
			.map(SecurityChainFilter.class::cast)
			.findFirst()
			.orElseThrow();
		assertThat(security.takesAnonymousShortcut()).isTrue();
		assertThat(SecurityChainFilter.notQuietForAnonymous(List.of((exchange, chain) -> chain.filter(exchange))))
			.as("a filter nobody has checked turns the shortcut off")
			.hasSize(1);
		String product = "/api/v1/products/" + UUID.randomUUID();
		this.http.get().uri(product).exchange().expectStatus().isNotFound();
		this.http.get()
			.uri(product)
			.header("Authorization", "Bearer not.a.token")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("invalid_token");
		this.http.get().uri(product).header("X-API-Key", "aqad_unknown").exchange().expectStatus().isUnauthorized();
		this.http.get().uri("/api/v1/orders").exchange().expectStatus().isUnauthorized();

		assertThat(security.takesBearerShortcut()).isTrue();
		TestAccounts.SignedIn retailer = this.accounts.register(Role.RETAILER);
		// a verified token on an open route: authenticatedResponsesAreNeverStoredByCaches
		// (no-store), CatalogWriteTests (drafts seen only by their vendor) and
		// SecurityChainFilterTests (the chain's filters skipped) show what it gets
		// a header that is no bearer token at all: the whole chain, and its 401
		this.http.get()
			.uri(product)
			.header("Authorization", "Bearer !!!")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.cacheControl(CacheControl.noStore());
		// a token on a route that is not open: the chain
		this.http.get().uri("/api/v1/orders").headers(retailer::bearer).exchange().expectStatus().isOk();
	}

	@Test
	void registeringCreatesAnAccountInANewOrganizationAndEmailsAreUniqueWhateverTheirCase() {
		String email = TestAccounts.uniqueEmail(Role.VENDOR);
		this.http.post()
			.uri("/api/v1/auth/register")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("email", email.toUpperCase(), "password", TestAccounts.PASSWORD, "role", "VENDOR",
					"organizationName", "Kettles & Co"))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.email")
			.isEqualTo(email)
			.jsonPath("$.role")
			.isEqualTo("VENDOR")
			.jsonPath("$.organizationId")
			.isNotEmpty()
			.jsonPath("$.passwordHash")
			.doesNotExist();
		this.http.post()
			.uri("/api/v1/auth/register")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("email", email, "password", TestAccounts.PASSWORD, "role", "RETAILER", "organizationName",
					"Other"))
			.exchange()
			.expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("email_taken");
	}

	@Test
	void registrationValidatesEveryFieldAndNeverMakesAnAdministrator() {
		this.http.post()
			.uri("/api/v1/auth/register")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("email", "not-an-email", "password", "short", "role", "ADMIN", "organizationName",
					"<script>x</script>"))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("validation_failed")
			.jsonPath("$.errors[*].field")
			.value((List<String> fields) -> assertThat(fields).containsExactlyInAnyOrder("email", "password", "role",
					"organizationName"));
	}

	@Test
	void loginAnswersTheSameForAWrongPasswordAndAnUnknownEmailAndLogsNeitherPassword(CapturedOutput output) {
		SignedIn retailer = this.accounts.register(Role.RETAILER);
		JsonNode wrongPassword = failedLogin(retailer.email(), "wrong password 1");
		JsonNode unknownEmail = failedLogin(TestAccounts.uniqueEmail(Role.RETAILER), "wrong password 2");
		assertThat(wrongPassword.get("code").stringValue()).isEqualTo("invalid_credentials");
		assertThat(unknownEmail.get("code")).isEqualTo(wrongPassword.get("code"));
		assertThat(unknownEmail.get("detail")).isEqualTo(wrongPassword.get("detail"));
		assertThat(output.getAll()).contains("event=login_failed")
			.doesNotContain("wrong password 1")
			.doesNotContain("wrong password 2");
	}

	private JsonNode failedLogin(String email, String password) {
		return TestAccounts.json(this.http.post()
			.uri("/api/v1/auth/login")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("email", email, "password", password))
			.exchange()
			.expectStatus()
			.isUnauthorized());
	}

	@Test
	void accessTokensAreRs256JwtsWithTheContractsClaims() throws Exception {
		SignedIn vendor = this.accounts.register(Role.VENDOR);
		String[] parts = vendor.accessToken().split("\\.");
		JsonNode header = this.json.readTree(Base64.getUrlDecoder().decode(parts[0]));
		JsonNode claims = this.json.readTree(Base64.getUrlDecoder().decode(parts[1]));
		assertThat(header.get("alg").stringValue()).isEqualTo("RS256");
		assertThat(header.get("kid").stringValue()).isEqualTo("local-throwaway");
		assertThat(claims.propertyNames()).contains("iss", "sub", "aud", "exp", "iat", "jti", "sid", "role", "org");
		assertThat(claims.get("sub").stringValue()).isEqualTo(vendor.accountId().toString());
		assertThat(claims.get("org").stringValue()).isEqualTo(vendor.organizationId().toString());
		assertThat(claims.get("role").stringValue()).isEqualTo("VENDOR");
		assertThat(claims.get("exp").longValue() - claims.get("iat").longValue()).isEqualTo(15 * 60);
	}

	@Test
	void theKeysAndTheDiscoveryDocumentArePublished() {
		this.http.get()
			.uri("/.well-known/jwks.json")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.keys[0].kid")
			.isEqualTo("local-throwaway")
			.jsonPath("$.keys[0].kty")
			.isEqualTo("RSA")
			.jsonPath("$.keys[0].d")
			.doesNotExist();
		this.http.get()
			.uri("/.well-known/openid-configuration")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.issuer")
			.isEqualTo("http://localhost:8080")
			.jsonPath("$.jwks_uri")
			.isEqualTo("http://localhost:8080/.well-known/jwks.json");
	}

	@Test
	void withoutCredentialsAProtectedRouteIs401WithABearerChallenge() {
		this.http.get()
			.uri("/api/v1/me")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("unauthenticated");
	}

	@Test
	void refreshRotatesAndASpentRefreshTokenRevokesTheWholeSession(CapturedOutput output) {
		SignedIn retailer = this.accounts.register(Role.RETAILER);
		JsonNode rotated = TestAccounts.json(refresh(retailer.refreshToken()).expectStatus().isOk());
		String newAccess = rotated.get("accessToken").stringValue();
		String newRefresh = rotated.get("refreshToken").stringValue();
		assertThat(newRefresh).isNotEqualTo(retailer.refreshToken());
		me(newAccess).expectStatus().isOk();

		// the first token again: a thief or a replay; the session ends for everyone
		refresh(retailer.refreshToken()).expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("invalid_refresh_token");
		refresh(newRefresh).expectStatus().isUnauthorized();
		me(newAccess).expectStatus().isUnauthorized();
		me(retailer.accessToken()).expectStatus().isUnauthorized();
		assertThat(output.getAll()).contains("event=refresh_token_reused").doesNotContain(newRefresh);
	}

	@Test
	void aForgedRefreshTokenIsRefusedWithoutEndingTheSession() {
		SignedIn retailer = this.accounts.register(Role.RETAILER);
		String forged = retailer.refreshToken().substring(0, retailer.refreshToken().lastIndexOf('.') + 1)
				+ "A".repeat(43);
		refresh(forged).expectStatus().isUnauthorized();
		refresh("garbage").expectStatus().isUnauthorized();
		refresh(retailer.refreshToken()).expectStatus().isOk();
	}

	@Test
	void logoutEndsTheSessionAndOnlyThatSession() {
		SignedIn vendor = this.accounts.register(Role.VENDOR);
		SignedIn otherDevice = this.accounts.login(vendor.email(), TestAccounts.PASSWORD);
		this.http.post().uri("/api/v1/auth/logout").headers(vendor::bearer).exchange().expectStatus().isNoContent();
		me(vendor.accessToken()).expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("invalid_token");
		refresh(vendor.refreshToken()).expectStatus().isUnauthorized();
		me(otherDevice.accessToken()).expectStatus().isOk();
	}

	@Test
	void anAccountListsItsSessionsAndEndsAnotherOne() {
		SignedIn retailer = this.accounts.register(Role.RETAILER);
		SignedIn phone = this.accounts.login(retailer.email(), TestAccounts.PASSWORD);
		JsonNode sessions = TestAccounts.json(this.http.get()
			.uri("/api/v1/auth/sessions")
			.headers(retailer::bearer)
			.exchange()
			.expectStatus()
			.isOk());
		assertThat(sessions.get("items")).hasSize(2);
		String phoneSession = null;
		for (JsonNode session : sessions.get("items")) {
			if (!session.get("current").booleanValue()) {
				phoneSession = session.get("id").stringValue();
			}
		}
		assertThat(phoneSession).isNotNull();
		this.http.delete()
			.uri("/api/v1/auth/sessions/{id}", phoneSession)
			.headers(retailer::bearer)
			.exchange()
			.expectStatus()
			.isNoContent();
		me(phone.accessToken()).expectStatus().isUnauthorized();
		me(retailer.accessToken()).expectStatus().isOk();
		// another account's session id is nothing to this caller
		SignedIn stranger = this.accounts.register(Role.RETAILER);
		this.http.delete()
			.uri("/api/v1/auth/sessions/{id}", stranger.refreshToken().split("\\.")[2])
			.headers(retailer::bearer)
			.exchange()
			.expectStatus()
			.isNotFound();
		me(stranger.accessToken()).expectStatus().isOk();
	}

	@Test
	void suspensionRefusesTheAccountsTokensKeysAndLogins(CapturedOutput output) {
		SignedIn retailer = this.accounts.create(Role.RETAILER, null);
		String key = this.accounts.apiKey(retailer, "catalog:read", "orders:read");
		this.http.get().uri("/api/v1/products?limit=1").header("X-API-Key", key).exchange().expectStatus().isOk();
		this.http.post()
			.uri("/api/v1/admin/accounts/{id}/suspend", retailer.accountId())
			.headers(this.accounts.admin()::bearer)
			.exchange()
			.expectStatus()
			.isNoContent();
		me(retailer.accessToken()).expectStatus().isUnauthorized();
		refresh(retailer.refreshToken()).expectStatus().isUnauthorized();
		this.http.get()
			.uri("/api/v1/products?limit=1")
			.header("X-API-Key", key)
			.exchange()
			.expectStatus()
			.isUnauthorized();
		failedLogin(retailer.email(), TestAccounts.PASSWORD);
		assertThat(output.getAll()).contains("event=account_suspended").doesNotContain(key);
	}

	@Test
	void administratorsCreateAccountsOfAnyRoleAndPageThroughThem() {
		SignedIn delivery = this.accounts.create(Role.DELIVERY, null);
		SignedIn vendor = this.accounts.register(Role.VENDOR);
		SignedIn colleague = this.accounts.create(Role.VENDOR, vendor.organizationId());
		assertThat(colleague.organizationId()).isEqualTo(vendor.organizationId());
		assertThat(delivery.organizationId()).isNull();
		JsonNode first = TestAccounts.json(this.http.get()
			.uri("/api/v1/admin/accounts?limit=2")
			.headers(this.accounts.admin()::bearer)
			.exchange()
			.expectStatus()
			.isOk());
		assertThat(first.get("items")).hasSize(2);
		assertThat(first.get("items").get(0).get("id").stringValue()).isEqualTo(colleague.accountId().toString());
		assertThat(first.get("items").get(1).get("id").stringValue()).isEqualTo(vendor.accountId().toString());
		this.http.get()
			.uri("/api/v1/admin/accounts?limit=2&cursor={cursor}", first.get("nextCursor").stringValue())
			.headers(this.accounts.admin()::bearer)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.items[0].id")
			.isEqualTo(delivery.accountId().toString());
	}

	@Test
	void apiKeysAreShownOnceActForTheirOwnerWithinTheirScopesAndCanBeRevoked() {
		SignedIn vendor = this.accounts.register(Role.VENDOR);
		String key = this.accounts.apiKey(vendor, "catalog:read");
		assertThat(key).startsWith("aqad_");
		JsonNode listed = TestAccounts
			.json(this.http.get().uri("/api/v1/api-keys").headers(vendor::bearer).exchange().expectStatus().isOk());
		JsonNode only = listed.get("items").get(0);
		assertThat(only.has("key")).isFalse();
		assertThat(key).startsWith(only.get("prefix").stringValue());
		// a key cannot manage accounts or keys, whatever its scopes
		this.http.get().uri("/api/v1/me").header("X-API-Key", key).exchange().expectStatus().isForbidden();
		this.http.post()
			.uri("/api/v1/api-keys")
			.header("X-API-Key", key)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", "escalation", "scopes", List.of("orders:write")))
			.exchange()
			.expectStatus()
			.isForbidden();
		this.http.delete()
			.uri("/api/v1/api-keys/{id}", only.get("id").stringValue())
			.headers(vendor::bearer)
			.exchange()
			.expectStatus()
			.isNoContent();
		this.http.get()
			.uri("/api/v1/products?limit=1")
			.header("X-API-Key", key)
			.exchange()
			.expectStatus()
			.isUnauthorized();
		this.http.get()
			.uri("/api/v1/products?limit=1")
			.header("X-API-Key", "aqad_" + "x".repeat(43))
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	@Test
	void apiKeyScopesAreValidated() {
		SignedIn vendor = this.accounts.register(Role.VENDOR);
		this.http.post()
			.uri("/api/v1/api-keys")
			.headers(vendor::bearer)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", "k", "scopes", List.of("catalog:write", "feed:read", "feed:read")))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[*].field")
			.value((List<String> fields) -> assertThat(fields).containsExactly("scopes[0]", "scopes[2]"));
	}

	@Test
	void authenticatedResponsesAreNeverStoredByCaches() {
		SignedIn retailer = this.accounts.register(Role.RETAILER);
		this.http.get()
			.uri("/api/v1/categories")
			.headers(retailer::bearer)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals(HttpHeaders.CACHE_CONTROL, "no-store");
		me(retailer.accessToken()).expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-store");
	}

	@Test
	void corsAnswersOnlyTheConfiguredOrigins() {
		this.http.options()
			.uri("/api/v1/products")
			.header(HttpHeaders.ORIGIN, "https://shop.example.com")
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "GET")
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "https://shop.example.com")
			.expectHeader()
			.doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS);
		this.http.options()
			.uri("/api/v1/products")
			.header(HttpHeaders.ORIGIN, "https://evil.example.com")
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "GET")
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
	}

	private WebTestClient.ResponseSpec refresh(String token) {
		return this.http.post()
			.uri("/api/v1/auth/refresh")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("refreshToken", token))
			.exchange();
	}

	private WebTestClient.ResponseSpec me(String accessToken) {
		return this.http.get().uri("/api/v1/me").headers((headers) -> headers.setBearerAuth(accessToken)).exchange();
	}

}
