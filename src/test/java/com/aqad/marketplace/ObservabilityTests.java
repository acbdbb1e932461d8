package com.aqad.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.aqad.marketplace.catalog.ListedProducts;
import com.aqad.marketplace.identity.Role;
import com.aqad.marketplace.identity.TestAccounts;
import com.aqad.marketplace.identity.TestAccounts.SignedIn;
import com.aqad.marketplace.platform.devservices.ApiTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What an operator watches during a promotion: latency histograms per route (refused
 * requests under their real route), orders placed and refused, replays, cache and limiter
 * outcomes; and the Grafana dashboard in the repository names only metrics the server
 * really exports.
 */
// a context of its own: a shared one, paused and restarted by the test framework between
// classes, moves its management server to a new port that local.management.port does not
// follow
@ApiTest(properties = { "management.server.port=0", "spring.application.name=aqad-marketplace-observed" })
class ObservabilityTests {

	private static final Path DASHBOARD = Path.of("src/ops/grafana/dashboards/aqad-promotion.json");

	/** a metric name in PromQL: an identifier followed by a selector or a range */
	private static final Pattern METRIC = Pattern.compile("\\b([a-z_][a-z0-9_]*)\\s*[{\\[]");

	@Autowired
	private WebTestClient http;

	@Autowired
	private Environment environment;

	@Test
	void aShortPromotionShowsInTheMetricsTheDashboardReads() throws Exception {
		promotion();
		String metrics = prometheus();
		// no long task timer per request (it cost ~3 % of a cached read's CPU)
		assertThat(metrics).doesNotContain("http_server_requests_active")
			.contains("http_server_requests_seconds_bucket{")
			.containsPattern("http_server_requests_seconds_count\\{[^}]*status=\"401\"[^}]*uri=\"/api/v1/me\"")
			.containsPattern("aqad_orders_placed_total\\{[^}]*} [1-9]")
			.containsPattern("aqad_orders_refused_total\\{[^}]*reason=\"insufficient_stock\"[^}]*} [1-9]")
			.containsPattern("aqad_orders_idempotent_replays_total\\{[^}]*request=\"order\"[^}]*} [1-9]")
			.containsPattern("aqad_orders_batch_size_count\\{[^}]*} [1-9]");

		JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
		Set<String> named = new TreeSet<>();
		for (JsonNode panel : dashboard.get("panels")) {
			for (JsonNode target : panel.get("targets")) {
				Matcher metric = METRIC.matcher(target.get("expr").asString());
				while (metric.find()) {
					named.add(metric.group(1));
				}
			}
		}
		assertThat(named).as("metrics the dashboard names").hasSizeGreaterThan(10);
		for (String name : named) {
			assertThat(metrics).as("/actuator/prometheus after a short run exports " + name)
				.containsPattern("(?m)^" + name + "[{ ]");
		}
	}

	private void promotion() {
		TestAccounts accounts = new TestAccounts(this.http);
		SignedIn admin = accounts.admin();
		SignedIn vendor = accounts.register(Role.VENDOR);
		SignedIn retailer = accounts.register(Role.RETAILER);
		String product = ListedProducts.list(this.http, admin, vendor, 500, 2);
		this.http.get().uri("/api/v1/products/{id}", product).exchange().expectStatus().isOk();
		this.http.get().uri("/api/v1/products/{id}", product).exchange().expectStatus().isOk();
		this.http.get().uri("/api/v1/me").exchange().expectStatus().isUnauthorized();
		String key = UUID.randomUUID().toString();
		Map<String, Object> order = Map.of("lines", List.of(Map.of("productId", product, "quantity", 2)));
		for (int attempt = 0; attempt < 2; attempt++) {
			this.http.post()
				.uri("/api/v1/orders")
				.headers(retailer::bearer)
				.header("Idempotency-Key", key)
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(order)
				.exchange()
				.expectStatus()
				.isCreated();
		}
		this.http.post()
			.uri("/api/v1/orders")
			.headers(retailer::bearer)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(order)
			.exchange()
			.expectStatus()
			.isEqualTo(409);
	}

	private String prometheus() {
		String port = this.environment.getProperty("local.management.port");
		return WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + port)
			.build()
			.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

}
