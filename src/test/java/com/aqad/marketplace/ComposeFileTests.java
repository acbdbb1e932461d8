package com.aqad.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;

/**
 * {@code compose.yaml} as an operator relies on it (no Docker here to run it): the API
 * has a health check on its readiness probe, a restart policy and a stop grace period
 * above the server's own graceful shutdown; demo data only when asked for; Prometheus
 * scrapes the management port; every file mounted from the repository exists.
 */
class ComposeFileTests {

	private final YAMLMapper yaml = YAMLMapper.builder().build();

	@Test
	void theApiServiceIsReadyForProduction() throws IOException {
		JsonNode api = compose().at("/services/api");
		assertThat(api.at("/healthcheck/test").toString()).contains("/dev/tcp/127.0.0.1/8081")
			.contains("/actuator/health/readiness");
		assertThat(api.at("/restart").asString()).isEqualTo("unless-stopped");
		Duration grace = DurationStyle.detectAndParse(api.at("/stop_grace_period").asString());
		assertThat(grace).isGreaterThan(shutdownTimeout());
		assertThat(api.at("/environment/AQAD_DEMO_PRODUCTS").asString()).isEqualTo("${AQAD_DEMO_PRODUCTS:-0}");
		assertThat(api.at("/environment/AQAD_DEMO_ACCOUNTS").asString()).isEqualTo("${AQAD_DEMO_ACCOUNTS:-false}");
		assertThat(api.at("/environment/AQAD_IDENTITY_KEYS_0_PRIVATE_KEY").asString())
			.startsWith("${AQAD_SIGNING_KEY:?");
		assertThat(Files.readString(Path.of(".dockerignore"))).contains("target/").contains(".git/");
	}

	@Test
	void prometheusAndGrafanaGetTheFilesOfThisRepository() throws IOException {
		JsonNode services = compose().get("services");
		for (String service : new String[] { "prometheus", "grafana" }) {
			for (JsonNode volume : services.get(service).get("volumes")) {
				Path source = Path.of(volume.asString().split(":")[0]);
				assertThat(source).as(service + " mounts " + source).exists();
			}
		}
		assertThat(Files.readString(Path.of("src/ops/prometheus/prometheus.yml"))).contains("api:8081")
			.contains("/actuator/prometheus");
	}

	private JsonNode compose() throws IOException {
		return this.yaml.readTree(Files.readString(Path.of("compose.yaml")));
	}

	private Duration shutdownTimeout() throws IOException {
		String application = Files.readString(Path.of("src/main/resources/application.yaml"));
		Matcher timeout = Pattern.compile("timeout-per-shutdown-phase: \\$\\{AQAD_SHUTDOWN_TIMEOUT:(\\w+)}")
			.matcher(application);
		assertThat(timeout.find()).as("the server's shutdown timeout in application.yaml").isTrue();
		return DurationStyle.detectAndParse(timeout.group(1));
	}

}
