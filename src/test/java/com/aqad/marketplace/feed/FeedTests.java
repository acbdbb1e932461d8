package com.aqad.marketplace.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import com.aqad.marketplace.identity.Role;
import com.aqad.marketplace.identity.TestAccounts;
import com.aqad.marketplace.identity.TestAccounts.SignedIn;
import com.aqad.marketplace.platform.devservices.ApiTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

@ApiTest
class FeedTests {

	@Autowired
	private WebTestClient http;

	@Autowired
	private DatabaseClient db;

	@Autowired
	private FeedService feed;

	@Autowired
	private FeedProperties properties;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private JsonMapper json;

	@LocalServerPort
	private int port;

	private FeedFixtures fixtures;

	private SignedIn partner;

	private UUID vendor;

	private UUID category;

	@BeforeEach
	void partnerAndCatalog() {
		this.fixtures = new FeedFixtures(this.db);
		this.partner = new TestAccounts(this.http).register(Role.RETAILER);
		this.vendor = this.fixtures.vendor();
		this.category = this.fixtures.category();
	}

	@Test
	void theFeedStreamsEveryActiveProductOfItsFiltersExactlyOnce() {
		this.fixtures.products(this.vendor, this.category, 1_500, "ACTIVE");
		this.fixtures.products(this.vendor, this.category, 40, "DRAFT");
		this.fixtures.products(this.vendor, this.category, 30, "ARCHIVED");
		UUID otherCategory = this.fixtures.category();
		this.fixtures.products(this.vendor, otherCategory, 50, "ACTIVE");
		this.fixtures.products(this.fixtures.vendor(), otherCategory, 20, "ACTIVE");

		List<String> lines = feed("/api/v1/feed/products?categoryId=" + this.category);
		List<UUID> ids = lines.stream().map(this::id).toList();
		assertThat(ids).hasSize(1_500).doesNotHaveDuplicates();
		assertThat(new HashSet<>(ids)).isEqualTo(new HashSet<>(this.fixtures.ids(this.category, "ACTIVE")));
		assertThat(this.json.readTree(lines.get(0)).get("status").stringValue()).isEqualTo("ACTIVE");

		assertThat(feed("/api/v1/feed/products?categoryId=" + otherCategory + "&vendorId=" + this.vendor)).hasSize(50);
	}

	@Test
	void updatedSinceGivesOnlyProductsChangedSinceThen() {
		this.fixtures.products(this.vendor, this.category, 300, "ACTIVE");
		OffsetDateTime since = this.db.sql("select clock_timestamp() as now")
			.map((row) -> row.get("now", OffsetDateTime.class))
			.one()
			.block();
		List<UUID> all = this.fixtures.ids(this.category, "ACTIVE");
		Set<UUID> changed = Set.of(all.get(3), all.get(100), all.get(250));
		changed.forEach((id) -> this.fixtures.reprice(id, 4242));

		List<UUID> ids = feed("/api/v1/feed/products?categoryId=" + this.category + "&updatedSince=" + since).stream()
			.map(this::id)
			.toList();
		assertThat(ids).containsExactlyInAnyOrderElementsOf(changed);
	}

	@Test
	void theFeedIsAnEventStreamWhenAskedFor() {
		this.fixtures.products(this.vendor, this.category, 3, "ACTIVE");
		String body = this.http.get()
			.uri("/api/v1/feed/products?categoryId={c}", this.category)
			.headers(this.partner::bearer)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(body.split("\n\n")).hasSize(3).allSatisfy((event) -> {
			assertThat(event).startsWith("event: product\ndata: {");
			assertThat(this.json.readTree(event.substring(event.indexOf('{'))).get("categoryId").stringValue())
				.isEqualTo(this.category.toString());
		});
	}

	@Test
	void theFeedIsCompressedForClientsThatAcceptGzip() throws Exception {
		this.fixtures.products(this.vendor, this.category, 200, "ACTIVE");
		// a plain client: it neither asks for nor undoes compression unless told
		HttpResponse<byte[]> response = HttpClient.newHttpClient()
			.send(HttpRequest
				.newBuilder(URI
					.create("http://localhost:" + this.port + "/api/v1/feed/products?categoryId=" + this.category))
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + this.partner.accessToken())
				.header(HttpHeaders.ACCEPT_ENCODING, "gzip")
				.build(), HttpResponse.BodyHandlers.ofByteArray());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue(HttpHeaders.CONTENT_ENCODING)).contains("gzip");
		byte[] body = response.body();
		String text = new String(new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes(),
				StandardCharsets.UTF_8);
		assertThat(text.split("\n")).hasSize(200);
		assertThat(body.length).isLessThan(text.length() / 3);
	}

	@Test
	void feedsNeedAnAccountOrAKeyWithFeedRead() {
		this.http.get().uri("/api/v1/feed/products").exchange().expectStatus().isUnauthorized();
		TestAccounts accounts = new TestAccounts(this.http);
		String catalogKey = accounts.apiKey(this.partner, "catalog:read");
		this.http.get()
			.uri("/api/v1/feed/products?categoryId={c}", this.category)
			.header("X-API-Key", catalogKey)
			.exchange()
			.expectStatus()
			.isForbidden();
		this.fixtures.products(this.vendor, this.category, 2, "ACTIVE");
		String feedKey = accounts.apiKey(this.partner, "feed:read");
		this.http.get()
			.uri("/api/v1/feed/products?categoryId={c}", this.category)
			.header("X-API-Key", feedKey)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((body) -> assertThat(body.split("\n")).hasSize(2));
	}

	@Test
	void badFiltersAreRefusedTogether() {
		this.http.get()
			.uri("/api/v1/feed/products?categoryId=nope&updatedSince=yesterday&page=2")
			.headers(this.partner::bearer)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[*].field")
			.value((fields) -> assertThat(fields.toString()).contains("categoryId", "updatedSince", "page"));
	}

	@Test
	void aSlowReaderHoldsABoundedNumberOfRowsAndCancellingEndsTheQuery() {
		this.fixtures.products(this.vendor, this.category, 20_000, "ACTIVE");
		double before = rowsRead();
		StepVerifier.create(this.feed.products(new FeedFilter(null, this.category, null)), 0)
			.thenRequest(10)
			.expectNextCount(10)
			.then(() -> {
				// PostgreSQL holds the rest of the rows, waiting for us to read them ...
				awaitFeedQuery("blocked");
				// ... while we have taken hardly more rows than asked for
				assertThat(rowsRead() - before).isLessThanOrEqualTo(this.properties.fetchSize() + 10);
			})
			.thenRequest(990)
			.expectNextCount(990)
			.then(() -> assertThat(rowsRead() - before).isLessThanOrEqualTo(1_000 + this.properties.fetchSize()))
			.thenCancel()
			.verify(Duration.ofSeconds(30));
		// the reader went away: the query is closed and its connection idle again
		awaitFeedQuery("closed");
	}

	/**
	 * Waits until the latest feed query's backend is {@code blocked} (its portal
	 * suspended, waiting for us to ask for more rows, or waiting to write to us) or
	 * {@code closed} (no backend runs a feed query).
	 */
	private void awaitFeedQuery(String expected) {
		StepVerifier
			.create(this.db.sql("""
					select coalesce(max(case when state = 'idle in transaction'
					                              or wait_event in ('ClientRead', 'ClientWrite') then 'blocked'
					                         else state end), 'closed') as state
					from pg_stat_activity
					where query like 'select p.feed_json from products p%' and state <> 'idle'
					  and pid <> pg_backend_pid()""")
				.map((row) -> row.get("state", String.class))
				.one()
				.filter(expected::equals)
				.repeatWhenEmpty((ticks) -> ticks.delayElements(Duration.ofMillis(20)))
				.timeout(Duration.ofSeconds(10)))
			.expectNext(expected)
			.verifyComplete();
	}

	private double rowsRead() {
		return this.meters.get("aqad.feed.rows").counter().count();
	}

	private List<String> feed(String uri) {
		return this.http.get()
			.uri(uri)
			.headers(this.partner::bearer)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_NDJSON)
			.expectHeader()
			.valueMatches(FeedHandler.CHANGES_POSITION, "[0-9]+-[0-9]+")
			.returnResult(String.class)
			.getResponseBody()
			.collectList()
			.block(Duration.ofSeconds(30));
	}

	private UUID id(String line) {
		return UUID.fromString(this.json.readTree(line).get("id").stringValue());
	}

}
