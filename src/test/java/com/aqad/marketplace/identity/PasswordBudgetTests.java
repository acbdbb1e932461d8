package com.aqad.marketplace.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import com.aqad.marketplace.platform.devservices.ApiTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A login flood cannot make this instance hash more than its budget per second: the
 * excess is refused at once with 503 and {@code Retry-After}, whether the emails exist or
 * not, and nothing waits in a growing queue.
 */
@ApiTest(properties = { "management.server.port=0", "aqad.identity.passwords.max-per-second=2" })
class PasswordBudgetTests {

	private static final int FLOOD = 12;

	@Autowired
	private WebTestClient http;

	@Test
	void loginsBeyondTheHashingBudgetAre503WithRetryAfter() {
		WebClient client = WebClient.create(baseUrl());
		List<ResponseEntity<String>> answers = Flux.range(0, FLOOD)
			.flatMap((i) -> client.post()
				.uri("/api/v1/auth/login")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("email", "nobody-" + i + "@test.aqad.example", "password", "wrong password"))
				.exchangeToMono((response) -> response.toEntity(String.class)), FLOOD)
			.collectList()
			.block(Duration.ofSeconds(30));
		assertThat(answers).extracting((answer) -> answer.getStatusCode().value()).containsOnly(401, 503);
		long refused = answers.stream().filter((answer) -> answer.getStatusCode().value() == 503).count();
		long checked = answers.stream().filter((answer) -> answer.getStatusCode().value() == 401).count();
		// 2 per second; the flood may straddle one refill
		assertThat(checked).isBetween(2L, 4L);
		assertThat(refused).isEqualTo(FLOOD - checked);
		ResponseEntity<String> busy = answers.stream()
			.filter((answer) -> answer.getStatusCode().value() == 503)
			.findFirst()
			.orElseThrow();
		assertThat(busy.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
		assertThat(busy.getBody()).contains("\"code\":\"busy\"");
	}

	@Autowired
	private org.springframework.core.env.Environment environment;

	private String baseUrl() {
		return "http://localhost:" + this.environment.getProperty("local.server.port");
	}

}
