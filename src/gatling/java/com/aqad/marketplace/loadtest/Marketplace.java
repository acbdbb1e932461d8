package com.aqad.marketplace.loadtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the simulations prepare before the load starts, through the public API only: an
 * administrator signs in; a vendor with a category and a product; load-test accounts
 * (tier {@code loadtest}: counted by the rate limits, never refused) and their tokens,
 * or API keys an operator made ahead ({@code -DapiKeys=file}, one {@code key} per line).
 * <p>
 * Settings (system properties): {@code baseUrl} (default {@code http://localhost:8080}),
 * {@code adminEmail} / {@code adminPassword} (default: the local run's administrator).
 */
final class Marketplace {

	static final String BASE_URL = System.getProperty("baseUrl", "http://localhost:8080");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String run = UUID.randomUUID().toString().substring(0, 8);

	private String adminToken;

	static int setting(String name, int defaultValue) {
		return Integer.getInteger(name, defaultValue);
	}

	String admin() {
		if (this.adminToken == null) {
			this.adminToken = login(System.getProperty("adminEmail", "admin@aqad.local"),
					System.getProperty("adminPassword", "local-admin-password"));
		}
		return this.adminToken;
	}

	String login(String email, String password) {
		return call("POST", "/api/v1/auth/login", null, Map.of("email", email, "password", password))
			.get("accessToken")
			.asString();
	}

	/**
	 * A new account of the load-test tier, signed in: its access token.
	 */
	String account(String role, int index) {
		String email = "loadtest-" + this.run + "-" + role.toLowerCase() + "-" + index + "@example.test";
		String password = "load test password " + this.run;
		call("POST", "/api/v1/admin/accounts", admin(), Map.of("email", email, "password", password, "role", role,
				"organizationName", "Load test " + this.run + " " + role + " " + index, "tier", "loadtest"));
		return login(email, password);
	}

	String category() {
		return call("POST", "/api/v1/categories", admin(),
				Map.of("name", "Load test " + this.run, "slug", "load-test-" + this.run))
			.get("id")
			.asString();
	}

	String product(String vendorToken, String category, int stock, long priceMinor) {
		return call("POST", "/api/v1/products", vendorToken, Map.of("sku", "LT-" + this.run + "-" + UUID.randomUUID(),
				"name", "Flash sale item " + this.run, "priceMinor", priceMinor, "currency", "EUR", "stock", stock,
				"categoryId", category))
			.get("id")
			.asString();
	}

	int stock(String product) {
		return call("GET", "/api/v1/products/" + product, null, null).get("stock").asInt();
	}

	/**
	 * Credentials for {@code count} load-test accounts of {@code role}: the API keys given
	 * with {@code -DapiKeys} (as {@code X-API-Key}), or new accounts' tokens (as
	 * {@code Authorization: Bearer}).
	 */
	List<Map<String, Object>> callers(String role, int count) {
		List<Map<String, Object>> callers = new ArrayList<>();
		String keys = System.getProperty("apiKeys");
		if (keys != null) {
			try {
				for (String key : Files.readAllLines(Path.of(keys))) {
					if (!key.isBlank()) {
						callers.add(Map.of("authHeader", "X-API-Key", "authValue", key.strip()));
					}
				}
			}
			catch (IOException ex) {
				throw new IllegalStateException("cannot read the API keys in " + keys, ex);
			}
			return callers;
		}
		for (int i = 0; i < count; i++) {
			callers.add(Map.of("authHeader", "Authorization", "authValue", "Bearer " + account(role, i)));
		}
		return callers;
	}

	private JsonNode call(String method, String path, String token, Object body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(BASE_URL + path))
			.timeout(Duration.ofSeconds(30))
			.header("Accept", "application/json");
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		if (body != null) {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		try {
			HttpResponse<String> response = this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() >= 300) {
				throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
						+ response.body() + hint(response.statusCode()));
			}
			return JSON.readTree(response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot reach " + BASE_URL + path, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String hint(int status) {
		return (status == 429) ? " (sign-ins are limited per address for everyone: against a local run start it with "
				+ "AQAD_RATELIMIT_SHADOW=true; against a shared environment pass keys made ahead with -DapiKeys)" : "";
	}

}
