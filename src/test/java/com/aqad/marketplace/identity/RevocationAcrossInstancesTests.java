package com.aqad.marketplace.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.aqad.marketplace.identity.TestAccounts.SignedIn;
import com.aqad.marketplace.platform.devservices.ApiTest;
import com.aqad.marketplace.platform.devservices.DataServices;
import com.aqad.marketplace.platform.devservices.OtherInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Two instances sharing PostgreSQL and Redis, as in production. The second one has seen
 * the token (so it trusts its session from memory); once the first one acknowledges a
 * logout or a suspension, the second refuses the token within one second.
 */
@ApiTest
class RevocationAcrossInstancesTests {

	private static ConfigurableApplicationContext second;

	private static WebTestClient secondHttp;

	@Autowired
	private WebTestClient http;

	private TestAccounts accounts;

	@BeforeAll
	static void startSecondInstance() {
		second = OtherInstance.start();
		secondHttp = WebTestClient.bindToServer().baseUrl("http://localhost:" + OtherInstance.port(second)).build();
	}

	@AfterAll
	static void stopSecondInstance() {
		second.close();
	}

	@BeforeEach
	void accounts() {
		this.accounts = new TestAccounts(this.http);
	}

	@Test
	void aLogoutOnOneInstanceIsSeenByTheOtherWithinASecond() {
		SignedIn retailer = this.accounts.register(Role.RETAILER);
		assertThat(status(secondHttp, retailer)).isEqualTo(HttpStatus.OK);
		assertThat(status(secondHttp, retailer)).isEqualTo(HttpStatus.OK);

		this.http.post().uri("/api/v1/auth/logout").headers(retailer::bearer).exchange().expectStatus().isNoContent();
		await().atMost(Duration.ofSeconds(1))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> status(secondHttp, retailer) == HttpStatus.UNAUTHORIZED);
	}

	@Test
	void aSuspensionOnOneInstanceIsSeenByTheOtherWithinASecond() {
		SignedIn vendor = this.accounts.register(Role.VENDOR);
		assertThat(status(secondHttp, vendor)).isEqualTo(HttpStatus.OK);

		this.http.post()
			.uri("/api/v1/admin/accounts/{id}/suspend", vendor.accountId())
			.headers(this.accounts.admin()::bearer)
			.exchange()
			.expectStatus()
			.isNoContent();
		await().atMost(Duration.ofSeconds(1))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> status(secondHttp, vendor) == HttpStatus.UNAUTHORIZED);
	}

	@Test
	void anApiKeyRevokedOnOneInstanceIsRefusedByTheOtherWithinASecond() {
		SignedIn vendor = this.accounts.register(Role.VENDOR);
		String key = this.accounts.apiKey(vendor, "catalog:read");
		assertThat(keyStatus(secondHttp, key)).isEqualTo(HttpStatus.OK);
		assertThat(keyStatus(secondHttp, key)).isEqualTo(HttpStatus.OK);
		String id = this.http.get()
			.uri("/api/v1/api-keys")
			.headers(vendor::bearer)
			.exchange()
			.expectBody(tools.jackson.databind.JsonNode.class)
			.returnResult()
			.getResponseBody()
			.get("items")
			.get(0)
			.get("id")
			.stringValue();
		this.http.delete()
			.uri("/api/v1/api-keys/{id}", id)
			.headers(vendor::bearer)
			.exchange()
			.expectStatus()
			.isNoContent();
		await().atMost(Duration.ofSeconds(1))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> keyStatus(secondHttp, key) == HttpStatus.UNAUTHORIZED);
	}

	private static HttpStatus keyStatus(WebTestClient client, String key) {
		return HttpStatus.valueOf(client.get()
			.uri("/api/v1/products?limit=1")
			.header("X-API-Key", key)
			.exchange()
			.returnResult(String.class)
			.getStatus()
			.value());
	}

	@Test
	void aRefreshTokenRotatedOnOneInstanceIsSpentOnTheOther() {
		SignedIn retailer = this.accounts.register(Role.RETAILER);
		this.http.post()
			.uri("/api/v1/auth/refresh")
			.contentType(org.springframework.http.MediaType.APPLICATION_JSON)
			.bodyValue(java.util.Map.of("refreshToken", retailer.refreshToken()))
			.exchange()
			.expectStatus()
			.isOk();
		secondHttp.post()
			.uri("/api/v1/auth/refresh")
			.contentType(org.springframework.http.MediaType.APPLICATION_JSON)
			.bodyValue(java.util.Map.of("refreshToken", retailer.refreshToken()))
			.exchange()
			.expectStatus()
			.isUnauthorized();
		await().atMost(Duration.ofSeconds(1))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> status(this.http, retailer) == HttpStatus.UNAUTHORIZED);
	}

	/**
	 * A revocation whose message never arrives (published while the subscriber was cut
	 * off): the reconnect itself makes the instance stop trusting what it remembers.
	 */
	@Test
	void aRevocationLostWhileTheSubscriberWasCutOffIsStillSeenWithinASecond() {
		SignedIn retailer = this.accounts.register(Role.RETAILER);
		assertThat(status(secondHttp, retailer)).isEqualTo(HttpStatus.OK);
		String sid = retailer.refreshToken().split("\\.")[2];
		ReactiveStringRedisTemplate redis = second.getBean(ReactiveStringRedisTemplate.class);
		await().atMost(Duration.ofSeconds(5)).until(second.getBean(Revocations.class)::hearsRevocations);
		assertThat(status(secondHttp, retailer)).isEqualTo(HttpStatus.OK);
		// the session ends, but nobody hears of it ...
		redis.delete("identity:{" + retailer.accountId() + "}:session:" + sid).block(Duration.ofSeconds(5));
		assertThat(status(secondHttp, retailer)).as("trusted from memory").isEqualTo(HttpStatus.OK);
		// ... because every subscriber's connection was cut
		DataServices.Endpoint endpoint = DataServices.redis();
		RedisClient client = RedisClient.create(RedisURI.create(endpoint.host(), endpoint.port()));
		try (var connection = client.connect()) {
			assertThat(connection.sync().clientKill(KillArgs.Builder.typePubsub())).isPositive();
		}
		finally {
			client.shutdown();
		}
		await().atMost(Duration.ofSeconds(1))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> status(secondHttp, retailer) == HttpStatus.UNAUTHORIZED);
	}

	private static HttpStatus status(WebTestClient client, SignedIn account) {
		return HttpStatus.valueOf(client.get()
			.uri("/api/v1/me")
			.headers(account::bearer)
			.exchange()
			.returnResult(String.class)
			.getStatus()
			.value());
	}

}
