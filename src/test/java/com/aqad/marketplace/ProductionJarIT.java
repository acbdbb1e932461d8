package com.aqad.marketplace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.aqad.marketplace.apidocs.ContractValidation;
import com.aqad.marketplace.catalog.ListedProducts;
import com.aqad.marketplace.identity.Role;
import com.aqad.marketplace.identity.TestAccounts;
import com.aqad.marketplace.identity.TestAccounts.SignedIn;
import com.aqad.marketplace.platform.devservices.DataServices;
import com.aqad.marketplace.platform.devservices.DataServices.Endpoint;
import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The packaged jar ({@code ./mvnw package}) started as production starts it: a separate
 * {@code java -jar} process configured only by environment variables (database and Redis
 * by URL, a signing key, the first administrator), no test code on its class path. A
 * login, a catalog read and an order go through it; it answers its probes and stops
 * gracefully on SIGTERM without printing its secrets.
 */
class ProductionJarIT {

	private static final String ADMIN_EMAIL = "ops@example.test";

	private static final String ADMIN_PASSWORD = "an administrator's long password";

	private static Process server;

	private static Path output;

	private static String signingKey;

	private static WebTestClient http;

	private static WebTestClient management;

	@BeforeAll
	static void startTheJar() throws Exception {
		Endpoint db = DataServices.postgres();
		Endpoint redis = DataServices.redis();
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		signingKey = DataServices.pem(generator.generateKeyPair().getPrivate().getEncoded());
		int port = freePort();
		int managementPort = freePort();
		String java = ProcessHandle.current().info().command().orElse("java");
		output = Files.createTempFile("aqad-production-jar", ".log");
		ProcessBuilder builder = new ProcessBuilder(java, "-XX:+UseParallelGC", "-jar", jar().getAbsolutePath())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile());
		String database = db.host() + ":" + db.port() + "/" + db.database();
		builder.environment()
			.putAll(Map.ofEntries(Map.entry("PORT", Integer.toString(port)),
					Map.entry("AQAD_MANAGEMENT_PORT", Integer.toString(managementPort)),
					Map.entry("SPRING_R2DBC_URL", "r2dbc:postgresql://" + database),
					Map.entry("SPRING_R2DBC_USERNAME", db.user()), Map.entry("SPRING_R2DBC_PASSWORD", db.password()),
					Map.entry("SPRING_FLYWAY_URL", "jdbc:postgresql://" + database),
					Map.entry("SPRING_FLYWAY_USER", db.user()), Map.entry("SPRING_FLYWAY_PASSWORD", db.password()),
					Map.entry("SPRING_DATA_REDIS_URL", "redis://" + redis.host() + ":" + redis.port()),
					Map.entry("AQAD_IDENTITY_KEYS_0_ID", "production-test"),
					Map.entry("AQAD_IDENTITY_KEYS_0_PRIVATE_KEY", signingKey),
					Map.entry("AQAD_IDENTITY_ADMIN_EMAIL", ADMIN_EMAIL),
					Map.entry("AQAD_IDENTITY_ADMIN_PASSWORD", ADMIN_PASSWORD)));
		server = builder.start();
		http = WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + port)
			.entityExchangeResultConsumer(ContractValidation::check)
			.responseTimeout(Duration.ofSeconds(20))
			.build();
		management = WebTestClient.bindToServer().baseUrl("http://localhost:" + managementPort).build();
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
			assertThat(server.isAlive()).as("the jar exited early:\n%s", log()).isTrue();
			try {
				management.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
				return true;
			}
			catch (AssertionError | RuntimeException notYet) {
				return false;
			}
		});
	}

	@AfterAll
	static void stop() {
		if (server != null && server.isAlive()) {
			server.destroyForcibly();
		}
	}

	@Test
	void servesALoginACatalogReadAndAnOrderThenStopsGracefully() throws Exception {
		TestAccounts accounts = new TestAccounts(http);
		SignedIn admin = accounts.login(ADMIN_EMAIL, ADMIN_PASSWORD);
		SignedIn vendor = accounts.register(Role.VENDOR);
		String product = ListedProducts.list(http, admin, vendor, 1250, 10);
		http.get()
			.uri("/api/v1/products/{id}", product)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueMatches("Cache-Control", "(?=.*\\bpublic\\b)(?=.*\\bmax-age=\\d+)(?=.*stale-while-revalidate=\\d+).*")
			.expectBody()
			.jsonPath("$.stock")
			.isEqualTo(10);
		SignedIn retailer = accounts.register(Role.RETAILER);
		http.post()
			.uri("/api/v1/orders")
			.headers(retailer::bearer)
			.header("Idempotency-Key", UUID.randomUUID().toString())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("lines", List.of(Map.of("productId", product, "quantity", 3))))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.totalMinor")
			.isEqualTo(3750);
		await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
			JsonNode read = TestAccounts.json(http.get().uri("/api/v1/products/{id}", product).exchange());
			assertThat(read.get("stock").asInt()).isEqualTo(7);
		});
		management.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.components.r2dbc.status")
			.isEqualTo("UP")
			.jsonPath("$.components.redis.status")
			.isEqualTo("UP");
		management.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((metrics) -> assertThat(metrics).contains("http_server_requests_seconds_count"));

		server.destroy();
		assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s of SIGTERM").isTrue();
		String log = log();
		assertThat(log).contains("Started MarketplaceApplication")
			.contains("Graceful shutdown complete")
			.doesNotContain(ADMIN_PASSWORD)
			.doesNotContain(signingKey.lines().skip(1).findFirst().orElseThrow())
			.doesNotContain("throwaway");
	}

	private static File jar() {
		File[] jars = new File("target").listFiles((dir, name) -> name.startsWith("marketplace-api-")
				&& name.endsWith(".jar") && !name.endsWith("-plain.jar") && !name.endsWith("-sources.jar"));
		assertThat(jars).as("the packaged jar in target/ (run ./mvnw verify)").isNotEmpty();
		return jars[0];
	}

	private static String log() throws IOException {
		return Files.readString(output);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
