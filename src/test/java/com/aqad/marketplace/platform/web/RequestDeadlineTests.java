package com.aqad.marketplace.platform.web;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.aqad.marketplace.catalog.ListedProducts;
import com.aqad.marketplace.identity.Role;
import com.aqad.marketplace.identity.TestAccounts;
import com.aqad.marketplace.identity.TestAccounts.SignedIn;
import com.aqad.marketplace.platform.devservices.ApiTest;
import com.aqad.marketplace.platform.devservices.DataServices;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * A hung PostgreSQL (frozen, not stopped: no error ever comes back) costs a request the
 * deadline, not the outage: 503 with {@code Retry-After}, and everything answers again by
 * itself once PostgreSQL does.
 */
@ApiTest(properties = { "management.server.port=0", "aqad.web.deadline=2s" })
class RequestDeadlineTests {

	@Autowired
	private WebTestClient http;

	@Test
	void aFrozenDatabaseIsAnsweredWith503WithinTheDeadlineAndRecoveryIsAutomatic() throws Exception {
		TestAccounts accounts = new TestAccounts(this.http);
		SignedIn vendor = accounts.register(Role.VENDOR);
		SignedIn retailer = accounts.register(Role.RETAILER);
		String product = ListedProducts.list(this.http, accounts.admin(), vendor, 100, 10);
		String key = UUID.randomUUID().toString();
		me(vendor).expectStatus().isOk();
		List<ProcessHandle> postgres = postgresProcesses();
		assumeThat(postgres).as("a local PostgreSQL process to freeze (not a container)").isNotEmpty();
		signal("STOP", postgres);
		try {
			me(vendor).expectStatus()
				.isEqualTo(503)
				.expectHeader()
				.valueEquals(HttpHeaders.RETRY_AFTER, "1")
				.expectHeader()
				.valueEquals("X-Frame-Options", "DENY")
				.expectBody()
				.jsonPath("$.code")
				.isEqualTo("service_unavailable");
			// an uncached list goes to the database too
			this.http.get()
				.uri("/api/v1/products?q=" + UUID.randomUUID().toString().substring(0, 8))
				.exchange()
				.expectStatus()
				.isEqualTo(503);
			// an order abandoned at its deadline: its Idempotency-Key must not stay taken
			order(retailer, product, key).expectStatus().isEqualTo(503);
		}
		finally {
			signal("CONT", postgres);
		}
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> me(vendor).expectStatus().isOk());
		// the retry places the order within seconds, not after the 30 s lease of the
		// abandoned attempt's claim
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> order(retailer, product, key).expectStatus().isCreated());
		// the order's stock shows within the freshness bound, not at once: the listener
		// that
		// marks changes lost its connection in the freeze, so until it listens again the
		// read relies on the order's own refresh of the cached copy, which lands after
		// the
		// 201 (a read at once saw stock 10 in one CI run)
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> this.http.get()
				.uri("/api/v1/products/{id}", product)
				.exchange()
				.expectBody()
				.jsonPath("$.stock")
				.isEqualTo(8));
	}

	private WebTestClient.ResponseSpec order(SignedIn retailer, String product, String key) {
		return this.http.mutate()
			.responseTimeout(Duration.ofSeconds(10))
			.build()
			.post()
			.uri("/api/v1/orders")
			.headers(retailer::bearer)
			.header("Idempotency-Key", key)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("lines", List.of(Map.of("productId", product, "quantity", 2))))
			.exchange();
	}

	private WebTestClient.ResponseSpec me(SignedIn caller) {
		// well above the deadline: without it the request would wait for the whole freeze
		return this.http.mutate()
			.responseTimeout(Duration.ofSeconds(10))
			.build()
			.get()
			.uri("/api/v1/me")
			.headers(caller::bearer)
			.exchange();
	}

	/**
	 * The embedded PostgreSQL of this JVM: its postmaster and every backend.
	 */
	private static List<ProcessHandle> postgresProcesses() {
		String port = Integer.toString(DataServices.postgres().port());
		Optional<ProcessHandle> postmaster = ProcessHandle.allProcesses()
			.filter((process) -> process.info().command().map((command) -> command.endsWith("/postgres")).orElse(false))
			.filter((process) -> process.info().arguments().map(List::of).orElse(List.of()).contains(port))
			.findFirst();
		List<ProcessHandle> all = new ArrayList<>();
		postmaster.ifPresent((process) -> {
			all.add(process);
			process.descendants().forEach(all::add);
		});
		return all;
	}

	private static void signal(String signal, List<ProcessHandle> processes) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
		processes.forEach((process) -> command.add(Long.toString(process.pid())));
		assertThat(new ProcessBuilder(command).inheritIO().start().waitFor()).isZero();
	}

}
