package com.aqad.marketplace.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.aqad.marketplace.identity.Role;
import com.aqad.marketplace.identity.TestAccounts;
import com.aqad.marketplace.identity.TestAccounts.SignedIn;
import com.aqad.marketplace.platform.devservices.ApiTest;
import com.aqad.marketplace.platform.devservices.OtherInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

@ApiTest
class FeedChangesTests {

	private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
	};

	@Autowired
	private WebTestClient http;

	@Autowired
	private DatabaseClient db;

	@Autowired
	private JsonMapper json;

	private FeedFixtures fixtures;

	private TestAccounts accounts;

	private SignedIn partner;

	private UUID vendor;

	private UUID category;

	@BeforeEach
	void partnerAndCatalog() {
		this.fixtures = new FeedFixtures(this.db);
		this.accounts = new TestAccounts(this.http);
		this.partner = this.accounts.register(Role.RETAILER);
		this.vendor = this.fixtures.vendor();
		this.category = this.fixtures.category();
	}

	@Test
	void changesMadeOnAnotherInstanceReachThisInstancesReaders() {
		SignedIn seller = this.accounts.register(Role.VENDOR);
		Flux<ServerSentEvent<String>> stream = changes(null, "?vendorId=" + seller.organizationId()).replay()
			.autoConnect(0);
		ConfigurableApplicationContext other = OtherInstance.start();
		try {
			WebTestClient otherHttp = WebTestClient.bindToServer()
				.baseUrl("http://localhost:" + OtherInstance.port(other))
				.build();

			JsonNode created = TestAccounts.json(otherHttp.post()
				.uri("/api/v1/products")
				.headers(seller::bearer)
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("sku", "LIVE-1", "name", "Live kettle", "categoryId", this.category.toString(),
						"priceMinor", 1999, "currency", "EUR", "stock", 5))
				.exchange()
				.expectStatus()
				.isCreated());
			String id = created.get("id").stringValue();
			patch(otherHttp, seller, id, Map.of("priceMinor", 1499));
			otherHttp.delete()
				.uri("/api/v1/products/{id}", id)
				.headers(seller::bearer)
				.exchange()
				.expectStatus()
				.isNoContent();

			List<ServerSentEvent<String>> received = stream.take(3).collectList().block(Duration.ofSeconds(20));
			assertThat(received).extracting(ServerSentEvent::event)
				.containsExactly("product.created", "product.price_changed", "product.archived");
			JsonNode repriced = this.json.readTree(received.get(1).data());
			assertThat(repriced.get("product").get("id").stringValue()).isEqualTo(id);
			assertThat(repriced.get("product").get("priceMinor").longValue()).isEqualTo(1499);
			assertThat(received.get(2).id()).matches("[0-9]+-[0-9]+");
		}
		finally {
			other.close();
		}
	}

	@Test
	void aReaderThatReconnectsWithLastEventIdMissesNothingOfABurst() {
		this.fixtures.products(this.vendor, this.category, 50, "ACTIVE");
		List<UUID> products = this.fixtures.ids(this.category, "ACTIVE");
		String position = this.http.get()
			.uri("/api/v1/feed/products?categoryId={c}", this.category)
			.headers(this.partner::bearer)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseHeaders()
			.getFirst(FeedHandler.CHANGES_POSITION);
		int changes = 600;
		// a burst of price changes from 8 writers at once, while the reader comes and
		// goes
		Flux.range(0, changes)
			.parallel(8)
			.runOn(Schedulers.boundedElastic())
			.doOnNext((i) -> this.fixtures.reprice(products.get(i % products.size()), 100_000 + i))
			.sequential()
			.subscribe();

		List<ServerSentEvent<String>> first = changes(position, "?categoryId=" + this.category).take(150)
			.collectList()
			.block(Duration.ofSeconds(30));
		String lastEventId = first.get(first.size() - 1).id();
		List<ServerSentEvent<String>> rest = changes(lastEventId, "?categoryId=" + this.category).take(changes - 150)
			.take(Duration.ofSeconds(30))
			.collectList()
			.block(Duration.ofSeconds(30));

		List<ServerSentEvent<String>> all = new ArrayList<>(first);
		all.addAll(rest);
		List<Long> prices = all.stream()
			.map((event) -> this.json.readTree(event.data()).get("product").get("priceMinor").longValue())
			.sorted()
			.toList();
		assertThat(prices).hasSize(changes).doesNotHaveDuplicates().first().isEqualTo(100_000L);
		assertThat(prices.get(changes - 1)).isEqualTo(100_000L + changes - 1);
		List<String> ids = all.stream().map(ServerSentEvent::id).toList();
		assertThat(ids).doesNotHaveDuplicates();
		for (int i = 1; i < ids.size(); i++) {
			assertThat(tuple(ids.get(i))).isGreaterThan(tuple(ids.get(i - 1)));
		}
	}

	@Test
	void draftsStayPrivateUntilTheyAreActivated() {
		UUID draft = UUID.randomUUID();
		Flux<ServerSentEvent<String>> stream = changes(null, "?categoryId=" + this.category).replay().autoConnect(0);

		this.db.sql("""
				insert into products (id, vendor_id, category_id, sku, name, price_minor, currency, stock, status)
				values (:id, :vendor, :category, 'DRAFT-1', 'Secret', 100, 'EUR', 1, 'DRAFT')""")
			.bind("id", draft)
			.bind("vendor", this.vendor)
			.bind("category", this.category)
			.then()
			.block();
		this.fixtures.reprice(draft, 200);
		this.db.sql("update products set status = 'ACTIVE' where id = :id").bind("id", draft).then().block();

		ServerSentEvent<String> event = stream.blockFirst(Duration.ofSeconds(20));
		assertThat(event.event()).isEqualTo("product.status_changed");
		JsonNode product = this.json.readTree(event.data()).get("product");
		assertThat(product.get("id").stringValue()).isEqualTo(draft.toString());
		assertThat(product.get("priceMinor").longValue()).isEqualTo(200);
	}

	@Test
	void aLastEventIdOlderThanTheOutboxKeepsIsGoneAndAForgedOneIsRefused() {
		this.db.sql("""
				insert into outbox_pruned (stream, tx, seq) values ('product_events', 1, 1)
				on conflict (stream) do nothing""").then().block();
		this.http.get()
			.uri("/api/v1/feed/products/changes")
			.headers(this.partner::bearer)
			.header("Last-Event-ID", "0-5")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isEqualTo(410)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("events_expired");
		this.http.get()
			.uri("/api/v1/feed/products/changes")
			.headers(this.partner::bearer)
			.header("Last-Event-ID", "latest; drop table products")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isBadRequest();
	}

	private Flux<ServerSentEvent<String>> changes(String lastEventId, String query) {
		return this.http.get()
			.uri("/api/v1/feed/products/changes" + query)
			.headers(this.partner::bearer)
			.headers((headers) -> {
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

	private static void patch(WebTestClient http, SignedIn seller, String id, Map<String, Object> changes) {
		http.patch()
			.uri("/api/v1/products/{id}", id)
			.headers(seller::bearer)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(changes)
			.exchange()
			.expectStatus()
			.isOk();
	}

	private static java.math.BigInteger tuple(String id) {
		String[] parts = id.split("-");
		return java.math.BigInteger.valueOf(Long.parseLong(parts[0]))
			.shiftLeft(64)
			.add(java.math.BigInteger.valueOf(Long.parseLong(parts[1])));
	}

}
