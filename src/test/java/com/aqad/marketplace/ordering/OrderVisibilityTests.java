package com.aqad.marketplace.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.aqad.marketplace.identity.Role;
import com.aqad.marketplace.identity.TestAccounts;
import com.aqad.marketplace.identity.TestAccounts.SignedIn;
import com.aqad.marketplace.platform.devservices.ApiTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

@ApiTest
class OrderVisibilityTests {

	private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
	};

	@Autowired
	private WebTestClient http;

	@Autowired
	private DatabaseClient db;

	@Autowired
	private JsonMapper json;

	private Shop shop;

	private SignedIn retailer;

	private SignedIn otherRetailer;

	private SignedIn courier;

	private UUID product;

	@BeforeEach
	void shop() {
		this.shop = new Shop(this.http, this.db);
		this.retailer = this.shop.accounts.register(Role.RETAILER);
		this.otherRetailer = this.shop.accounts.register(Role.RETAILER);
		this.courier = this.shop.accounts.create(Role.DELIVERY, null);
		this.product = this.shop.product(100, 1_000);
	}

	@Test
	void eachPartySeesExactlyItsOrdersInListsAndById() {
		List<String> mine = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			mine.add(this.shop.placed(this.retailer, Shop.order(this.product, 1)).get("id").stringValue());
		}
		String theirs = this.shop.placed(this.otherRetailer, Shop.order(this.product, 1)).get("id").stringValue();
		this.shop.post(this.shop.vendor, "/api/v1/orders/" + mine.get(0) + "/confirm", null).expectStatus().isOk();
		this.shop
			.post(this.shop.accounts.admin(), "/api/v1/orders/" + mine.get(0) + "/assign-delivery",
					java.util.Map.of("deliveryPartnerId", this.courier.accountId().toString()))
			.expectStatus()
			.isOk();

		// newest first, two per page, every page through its cursor
		assertThat(allPages(this.retailer, "")).containsExactlyElementsOf(reversed(mine));
		assertThat(allPages(this.otherRetailer, "")).containsExactly(theirs);
		assertThat(allPages(this.shop.vendor, "")).containsExactlyInAnyOrderElementsOf(with(mine, theirs));
		assertThat(allPages(this.courier, "")).containsExactly(mine.get(0));
		assertThat(allPages(this.retailer, "&status=CONFIRMED")).containsExactly(mine.get(0));
		assertThat(allPages(this.shop.accounts.register(Role.VENDOR), "")).isEmpty();

		get(this.otherRetailer, mine.get(1)).expectStatus().isNotFound();
		get(this.courier, mine.get(1)).expectStatus().isNotFound();
		get(this.shop.accounts.register(Role.VENDOR), mine.get(1)).expectStatus().isNotFound();
		get(this.retailer, mine.get(1)).expectStatus().isOk();
		get(this.courier, mine.get(0)).expectStatus().isOk();
		get(this.shop.accounts.admin(), theirs).expectStatus().isOk();
		get(this.retailer, UUID.randomUUID().toString()).expectStatus().isNotFound();
	}

	@Test
	void vendorsExportTheirOrdersAsNdjson() {
		Instant before = Instant.now().minusSeconds(1);
		String a = this.shop.placed(this.retailer, Shop.order(this.product, 2)).get("id").stringValue();
		String b = this.shop.placed(this.otherRetailer, Shop.order(this.product, 3)).get("id").stringValue();
		SignedIn otherVendor = this.shop.accounts.register(Role.VENDOR);
		this.shop.placed(this.retailer, Shop.order(this.shop.product(otherVendor, 100, 5), 1));

		List<JsonNode> lines = this.http.get()
			.uri("/api/v1/orders/export?from={from}", before)
			.headers(this.shop.vendor::bearer)
			.accept(MediaType.APPLICATION_NDJSON)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseBody()
			.map(this.json::readTree)
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(lines).extracting((line) -> line.get("id").stringValue()).containsExactly(a, b);
		assertThat(lines.get(1).get("lines").get(0).get("quantity").intValue()).isEqualTo(3);
		this.http.get()
			.uri("/api/v1/orders/export")
			.headers(this.retailer::bearer)
			.accept(MediaType.APPLICATION_NDJSON)
			.exchange()
			.expectStatus()
			.isForbidden();
	}

	@Test
	void liveEventsShowOnlyTheCallersOrdersAndResumeWithoutAGap() {
		Flux<ServerSentEvent<String>> stream = events(this.retailer, null).replay().autoConnect(0);
		events(this.otherRetailer, null).subscribe();
		JsonNode theirs = this.shop.placed(this.otherRetailer, Shop.order(this.product, 1));
		JsonNode order = this.shop.placed(this.retailer, Shop.order(this.product, 2));
		String id = order.get("id").stringValue();
		this.shop
			.post(this.retailer, "/api/v1/orders/" + id + "/payments",
					java.util.Map.of("amountMinor", 200, "method", "WALLET"))
			.expectStatus()
			.isCreated();
		this.shop.post(this.shop.vendor, "/api/v1/orders/" + id + "/confirm", null).expectStatus().isOk();

		List<ServerSentEvent<String>> seen = stream.take(3).collectList().block(Duration.ofSeconds(20));
		assertThat(seen).extracting(ServerSentEvent::event)
			.containsExactly("order.created", "payment.captured", "order.status_changed");
		assertThat(seen).allSatisfy(
				(event) -> assertThat(this.json.readTree(event.data()).get("order").get("orderId").stringValue())
					.isEqualTo(id)
					.isNotEqualTo(theirs.get("id").stringValue()));

		// gone after the first event; back with its id: the rest, nothing twice
		List<ServerSentEvent<String>> resumed = events(this.retailer, seen.get(0).id()).take(2)
			.collectList()
			.block(Duration.ofSeconds(20));
		assertThat(resumed).extracting(ServerSentEvent::id).containsExactly(seen.get(1).id(), seen.get(2).id());
		assertThat(this.json.readTree(resumed.get(1).data()).get("order").get("status").stringValue())
			.isEqualTo("CONFIRMED");
	}

	private Flux<ServerSentEvent<String>> events(SignedIn caller, String lastEventId) {
		return this.http.get().uri("/api/v1/orders/events").headers(caller::bearer).headers((headers) -> {
			if (lastEventId != null) {
				headers.set("Last-Event-ID", lastEventId);
			}
		})
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(SSE)
			.getResponseBody()
			.filter((event) -> event.event() != null);
	}

	private List<String> allPages(SignedIn caller, String filter) {
		List<String> ids = new ArrayList<>();
		String cursor = null;
		do {
			JsonNode page = TestAccounts.json(this.http.get()
				.uri("/api/v1/orders?limit=2" + filter + ((cursor != null) ? "&cursor=" + cursor : ""))
				.headers(caller::bearer)
				.exchange()
				.expectStatus()
				.isOk());
			page.get("items").forEach((item) -> ids.add(item.get("id").stringValue()));
			cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").stringValue();
		}
		while (cursor != null);
		return ids;
	}

	private WebTestClient.ResponseSpec get(SignedIn caller, String id) {
		return this.http.get().uri("/api/v1/orders/{id}", id).headers(caller::bearer).exchange();
	}

	private static List<String> reversed(List<String> ids) {
		List<String> copy = new ArrayList<>(ids);
		java.util.Collections.reverse(copy);
		return copy;
	}

	private static List<String> with(List<String> ids, String more) {
		List<String> copy = new ArrayList<>(ids);
		copy.add(more);
		return copy;
	}

}
