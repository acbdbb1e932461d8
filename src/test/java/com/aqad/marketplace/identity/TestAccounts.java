package com.aqad.marketplace.identity;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import tools.jackson.databind.JsonNode;

import com.aqad.marketplace.platform.devservices.DataServices;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Accounts made through the API, as users make them: registration for vendors and
 * retailers, the configured administrator for everything else.
 */
public final class TestAccounts {

	public static final String PASSWORD = "correct horse battery";

	private final WebTestClient http;

	private SignedIn admin;

	public TestAccounts(WebTestClient http) {
		this.http = http;
	}

	/**
	 * A signed-in account: its ids and tokens.
	 */
	public record SignedIn(UUID accountId, UUID organizationId, String email, String accessToken, String refreshToken) {

		public void bearer(HttpHeaders headers) {
			headers.setBearerAuth(this.accessToken);
		}

	}

	public SignedIn admin() {
		if (this.admin == null) {
			this.admin = login(DataServices.LOCAL_ADMIN_EMAIL, DataServices.LOCAL_ADMIN_PASSWORD);
		}
		return this.admin;
	}

	/**
	 * A new vendor or retailer with an organization of its own.
	 */
	public SignedIn register(Role role) {
		String email = uniqueEmail(role);
		this.http.post()
			.uri("/api/v1/auth/register")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("email", email, "password", PASSWORD, "role", role.name(), "organizationName",
					"Org of " + email))
			.exchange()
			.expectStatus()
			.isCreated();
		return login(email, PASSWORD);
	}

	/**
	 * A new account of any role, created by the administrator; vendors and retailers get
	 * a new organization unless one is given.
	 */
	public SignedIn create(Role role, UUID organizationId) {
		String email = uniqueEmail(role);
		Map<String, Object> body = new java.util.HashMap<>(
				Map.of("email", email, "password", PASSWORD, "role", role.name()));
		if (role.hasOrganization()) {
			if (organizationId != null) {
				body.put("organizationId", organizationId.toString());
			}
			else {
				body.put("organizationName", "Org of " + email);
			}
		}
		this.http.post()
			.uri("/api/v1/admin/accounts")
			.headers(admin()::bearer)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isCreated();
		return login(email, PASSWORD);
	}

	public SignedIn login(String email, String password) {
		JsonNode tokens = json(this.http.post()
			.uri("/api/v1/auth/login")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("email", email, "password", password))
			.exchange()
			.expectStatus()
			.isOk());
		String access = tokens.get("accessToken").stringValue();
		JsonNode me = json(this.http.get()
			.uri("/api/v1/me")
			.headers((headers) -> headers.setBearerAuth(access))
			.exchange()
			.expectStatus()
			.isOk());
		JsonNode organization = me.get("organizationId");
		return new SignedIn(UUID.fromString(me.get("id").stringValue()),
				(organization == null || organization.isNull()) ? null : UUID.fromString(organization.stringValue()),
				email, access, tokens.get("refreshToken").stringValue());
	}

	/**
	 * A new API key of this account with these scopes; the secret.
	 */
	public String apiKey(SignedIn owner, String... scopes) {
		JsonNode key = json(this.http.post()
			.uri("/api/v1/api-keys")
			.headers(owner::bearer)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", "test key", "scopes", List.of(scopes)))
			.exchange()
			.expectStatus()
			.isCreated());
		return key.get("key").stringValue();
	}

	/**
	 * The JSON body of an answer, after its status was checked.
	 */
	public static JsonNode json(WebTestClient.ResponseSpec response) {
		return response.expectBody(JsonNode.class).returnResult().getResponseBody();
	}

	public static String uniqueEmail(Role role) {
		return role.name().toLowerCase() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong())
				+ "@test.aqad.example";
	}

}
