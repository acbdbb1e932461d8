package com.aqad.marketplace.catalog;

import java.time.Duration;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.aqad.marketplace.platform.devservices.ApiTest;
import com.aqad.marketplace.platform.devservices.OtherInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * List pages held in each instance's memory: served from there while young, dropped at
 * once by a listing change on the same instance, and on another instance within
 * {@code list-near-ttl} (1 s).
 */
@ApiTest
class NearListingsTests {

	private static ConfigurableApplicationContext other;

	@Autowired
	private WebTestClient http;

	@Autowired
	private DatabaseClient db;

	@Autowired
	private CatalogService catalog;

	@Autowired
	private MeterRegistry meters;

	@BeforeAll
	static void startSecondInstance() {
		other = OtherInstance.start();
	}

	@AfterAll
	static void stopSecondInstance() {
		other.close();
	}

	@Test
	void aPageIsServedFromMemoryAndAListingChangeShowsHereAtOnceAndOnTheOtherInstanceWithinASecond() {
		CatalogFixtures fixtures = new CatalogFixtures(this.db, this.catalog);
		UUID vendor = fixtures.vendor();
		UUID category = fixtures.category();
		fixtures.product(vendor, category, "Near Mug", 100, 1, "ACTIVE");
		String page = "/api/v1/products?categoryId=" + category;
		WebTestClient otherHttp = WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + OtherInstance.port(other))
			.build();
		itemsOn(this.http, page, 1);
		itemsOn(otherHttp, page, 1);

		double hits = nearHits();
		double loads = this.meters.get("aqad.catalog.cache.loads").tag("cache", "list").counter().count();
		itemsOn(this.http, page, 1);
		assertThat(nearHits() - hits).as("answered from this instance's memory").isEqualTo(1);
		assertThat(this.meters.get("aqad.catalog.cache.loads").tag("cache", "list").counter().count()).isEqualTo(loads);

		// a second product, and the listing change a catalog write announces
		fixtures.product(vendor, category, "Near Jug", 200, 1, "ACTIVE");
		this.catalog.listingsChanged().block(Duration.ofSeconds(5));
		itemsOn(this.http, page, 2);
		await().atMost(Duration.ofSeconds(2))
			.pollInterval(Duration.ofMillis(100))
			.untilAsserted(() -> itemsOn(otherHttp, page, 2));
	}

	@Test
	void aPageLoadedBeforeAChangeIsNotKeptAfterIt() {
		NearListings near = new NearListings(Duration.ofMinutes(1), 10);
		CachedJson before = CachedJson.of("{\"items\":[]}");
		long epoch = near.epoch();
		near.clear();
		near.keep("page", before, epoch);
		assertThat(near.get("page")).isNull();

		near.keep("page", before, near.epoch());
		assertThat(near.get("page")).isSameAs(before);
	}

	private double nearHits() {
		return this.meters.get("aqad.catalog.cache").tag("cache", "list-near").tag("result", "hit").counter().count();
	}

	private static void itemsOn(WebTestClient http, String page, int items) {
		http.get()
			.uri(page)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.items.length()")
			.isEqualTo(items);
	}

}
