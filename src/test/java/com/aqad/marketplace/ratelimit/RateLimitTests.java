package com.aqad.marketplace.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;

import com.aqad.marketplace.identity.Role;
import com.aqad.marketplace.identity.TestAccounts;
import com.aqad.marketplace.platform.devservices.ApiTest;
import com.aqad.marketplace.platform.devservices.OtherInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The limits as clients meet them, with Redis shared by every instance. Each test comes
 * from addresses of its own (through a trusted proxy: the test client), so that no test
 * shares a bucket with another.
 */
@ApiTest(properties = { "management.server.port=0", RateLimitTests.ENFORCE, RateLimitTests.TRUST_LOCAL_PROXY,
		RateLimitTests.CATALOG_BURST, RateLimitTests.CATALOG_BURST_PERIOD, RateLimitTests.PROBE_PATH,
		RateLimitTests.PROBE_KEY, RateLimitTests.PROBE_CAPACITY, RateLimitTests.PROBE_PERIOD, RateLimitTests.LOGINS,
		RateLimitTests.REGISTRATIONS, RateLimitTests.SHADOW_PATH, RateLimitTests.SHADOW_KEY,
		RateLimitTests.SHADOW_CAPACITY, RateLimitTests.SHADOW_PERIOD, RateLimitTests.SHADOW_ON })
@ExtendWith(OutputCaptureExtension.class)
class RateLimitTests {

	static final String ENFORCE = "aqad.ratelimit.shadow=false";

	static final String TRUST_LOCAL_PROXY = "aqad.ratelimit.trusted-proxies=127.0.0.1/32,::1/128";

	static final String CATALOG_BURST = "aqad.ratelimit.policies.catalog.buckets.burst.capacity=100";

	static final String CATALOG_BURST_PERIOD = "aqad.ratelimit.policies.catalog.buckets.burst.period=1h";

	/** a short bucket: 3 tokens, one back every second */
	static final String PROBE_PATH = "aqad.ratelimit.policies.probe.paths=/api/v1/categories";

	static final String PROBE_KEY = "aqad.ratelimit.policies.probe.key=IP";

	static final String PROBE_CAPACITY = "aqad.ratelimit.policies.probe.buckets.second.capacity=3";

	static final String PROBE_PERIOD = "aqad.ratelimit.policies.probe.buckets.second.period=3s";

	static final String LOGINS = "aqad.ratelimit.policies.login.buckets.attempts.capacity=1000";

	static final String REGISTRATIONS = "aqad.ratelimit.policies.register.buckets.attempts.capacity=1000";

	/** alone on the key set; with the catalog's and the probe's policies on categories */
	static final String SHADOW_PATH = "aqad.ratelimit.policies.rehearsal.paths=/.well-known/jwks.json,/api/v1/categories";

	static final String SHADOW_KEY = "aqad.ratelimit.policies.rehearsal.key=IP";

	static final String SHADOW_CAPACITY = "aqad.ratelimit.policies.rehearsal.buckets.tiny.capacity=2";

	static final String SHADOW_PERIOD = "aqad.ratelimit.policies.rehearsal.buckets.tiny.period=1h";

	static final String SHADOW_ON = "aqad.ratelimit.policies.rehearsal.shadow=true";

	/** requests in flight at once (as many connections) */
	private static final int CONCURRENCY = 100;

	/** the account policy's buckets for an account of the default tier */
	private static final String FREE_TIER_ACCOUNT = "\"account.burst\";q=100;w=10, \"account.hour\";q=10000;w=3600";

	private static ConfigurableApplicationContext second;

	@Autowired
	private WebTestClient http;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private ReactiveStringRedisTemplate redis;

	@LocalServerPort
	private int port;

	private TestAccounts accounts;

	private double fallbacksBefore;

	@BeforeAll
	static void startSecondInstance() {
		second = OtherInstance.start(ENFORCE, TRUST_LOCAL_PROXY, CATALOG_BURST, CATALOG_BURST_PERIOD);
	}

	@AfterAll
	static void stopSecondInstance() {
		second.close();
	}

	@BeforeEach
	void accounts() {
		this.accounts = new TestAccounts(this.http);
	}

	/**
	 * Every take of these tests is counted in Redis: a script that failed would fall back
	 * to the local buckets, which count much the same on one instance, and hide it.
	 */
	@BeforeEach
	void countFallbacks() {
		this.fallbacksBefore = fallbacks();
	}

	@AfterEach
	void noTakeFellBackToTheLocalBuckets() {
		assertThat(fallbacks()).as("takes decided by the local buckets").isEqualTo(this.fallbacksBefore);
	}

	/**
	 * Other test classes of this JVM (in shadow mode, with the default buckets) took from
	 * the buckets of the shared administrator and of 127.0.0.1: start with all buckets
	 * full.
	 */
	@BeforeEach
	void fillAllBuckets() {
		this.redis.scan(ScanOptions.scanOptions().match("ratelimit:*").count(1000).build())
			.flatMap(this.redis::delete)
			.then()
			.block(Duration.ofSeconds(10));
	}

	@Test
	void aThousandConcurrentRequestsAgainstABucketOfOneHundredLetExactlyOneHundredThrough() {
		Map<HttpStatus, Long> answers = concurrently(1000, List.of(this.port), newAddress());

		assertThat(answers).containsEntry(HttpStatus.NOT_FOUND, 100L).containsEntry(HttpStatus.TOO_MANY_REQUESTS, 900L);
	}

	/**
	 * Takes that arrive while a script call is in flight go together in the next one:
	 * with twenty clients' requests interleaved, each client still gets exactly its own
	 * bucket.
	 */
	@Test
	void takesBatchedIntoOneScriptCallStayExactForEveryClient() {
		List<String> clients = IntStream.range(0, 20).mapToObj((i) -> newAddress()).distinct().toList();
		DistributionSummary batches = this.meters.get("aqad.ratelimit.script.takes").summary();
		double takesBefore = batches.totalAmount();
		long callsBefore = batches.count();
		Map<String, Map<HttpStatus, Long>> answers = concurrently(150 * clients.size(), List.of(this.port), clients);
		assertThat(answers).hasSize(clients.size());
		answers.forEach((client, statuses) -> assertThat(statuses).as(client)
			.containsExactlyInAnyOrderEntriesOf(Map.of(HttpStatus.NOT_FOUND, 100L, HttpStatus.TOO_MANY_REQUESTS, 50L)));
		assertThat((batches.totalAmount() - takesBefore) / (batches.count() - callsBefore))
			.as("takes per script call on average")
			.isGreaterThan(1.5);
	}

	@Test
	void twoInstancesSharingRedisLetExactlyOneHundredThroughTogether() {
		String client = newAddress();
		Map<HttpStatus, Long> answers = concurrently(1000, List.of(this.port, OtherInstance.port(second)), client);

		assertThat(answers).containsEntry(HttpStatus.NOT_FOUND, 100L).containsEntry(HttpStatus.TOO_MANY_REQUESTS, 900L);
	}

	/**
	 * Redis forgets scripts when it restarts or is told {@code SCRIPT FLUSH}: the next
	 * take sends the script's text again and is still counted in Redis, not locally.
	 */
	@Test
	void aTakeAfterRedisForgotTheScriptStillCountsInRedis() {
		this.redis.execute((connection) -> connection.scriptingCommands().scriptFlush())
			.then()
			.block(Duration.ofSeconds(10));
		double fallbacks = fallbacks();
		String client = newAddress();

		categories(client).expectStatus()
			.isOk()
			.expectHeader()
			.value(RateLimitHeaders.STATE, (state) -> assertThat(state).contains("\"probe.second\";r=2;"));

		assertThat(this.redis.hasKey("ratelimit:{ip:" + client + "}:probe[second]").block(Duration.ofSeconds(10)))
			.isTrue();
		assertThat(fallbacks()).isEqualTo(fallbacks);
	}

	private double fallbacks() {
		return this.meters.find("aqad.ratelimit.fallbacks").counters().stream().mapToDouble((c) -> c.count()).sum();
	}

	@Test
	void aRefusalIsAProblemWithRetryAfterAndTheBucketRefillsInTime() {
		String client = newAddress();
		for (int remaining = 2; remaining >= 0; remaining--) {
			HttpHeaders headers = categories(client).expectStatus()
				.isOk()
				.returnResult(String.class)
				.getResponseHeaders();
			assertThat(headers.getFirst(RateLimitHeaders.POLICY)).contains("\"catalog.burst\";q=100;w=3600",
					"\"catalog.hour\";q=20000;w=3600", "\"probe.second\";q=3;w=3");
			assertThat(headers.getFirst(RateLimitHeaders.STATE)).contains("\"probe.second\";r=" + remaining + ";t=");
		}

		JsonNode problem = TestAccounts.json(categories(client).expectStatus()
			.isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader()
			.valueEquals(HttpHeaders.RETRY_AFTER, "1")
			.expectHeader()
			.value(RateLimitHeaders.STATE, (state) -> assertThat(state).contains("\"probe.second\";r=0;t=3")
				// all or nothing: the refused request took no token from the catalog's
				// buckets
				.contains("\"catalog.burst\";r=97;")));
		assertThat(problem.get("code").stringValue()).isEqualTo("rate_limited");
		assertThat(problem.get("status").intValue()).isEqualTo(429);
		assertThat(problem.get("detail").stringValue()).contains("'probe'");

		// one token comes back a second after the last was taken: within the Retry-After
		await().atMost(Duration.ofMillis(2500))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> categories(client).returnResult(String.class).getStatus() == HttpStatus.OK);
		categories(client).expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
	}

	@Test
	void aRefusalIsLoggedOnceWithItsRequestId(CapturedOutput output) {
		Map<String, String> refusedIds = new HashMap<>();
		for (int client = 0; client < 4; client++) {
			String address = newAddress();
			for (int i = 0; i < 3; i++) {
				categories(address).expectStatus().isOk();
			}
			String id = "refused-" + UUID.randomUUID();
			this.http.get()
				.uri("/api/v1/categories")
				.header("X-Forwarded-For", address)
				.header("X-Request-Id", id)
				.exchange()
				.expectStatus()
				.isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
			categories(address).expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
			refusedIds.put(address, id);
		}
		// the verdict comes back from Redis in a task of its own: each event's line still
		// carries its own request's id, and a second refusal in the window logs nothing
		refusedIds.forEach((address, id) -> assertThat(output.getAll()
			.lines()
			.filter((line) -> line.contains("event=rate_limited ") && line.contains("subject=ip:" + address + " ")))
			.singleElement()
			.asString()
			.contains("[" + id + "]")
			.contains("policy=probe"));
	}

	@Test
	void aLoginEmailIsLimitedWhicheverAddressTheAttemptsComeFrom() {
		String email = TestAccounts.uniqueEmail(Role.RETAILER);
		for (int attempt = 0; attempt < 5; attempt++) {
			login(newAddress(), email).expectStatus().isUnauthorized();
		}
		// both subjects asked, one after the other, and the answer names both: the new
		// address's bucket gave its token, the email's refused
		JsonNode problem = TestAccounts.json(login(newAddress(), email).expectStatus()
			.isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
			.expectHeader()
			.value(RateLimitHeaders.STATE, (state) -> assertThat(state).contains("\"login.attempts\";r=999;")
				.contains("\"login-email.attempts\";r=0;")));
		assertThat(problem.get("detail").stringValue()).contains("'login-email'");
		// another account's logins from those addresses are not affected
		login(newAddress(), TestAccounts.uniqueEmail(Role.RETAILER)).expectStatus().isUnauthorized();
	}

	@Test
	void authenticatedTrafficPassesWhenItsAddressIsExhausted() {
		TestAccounts.SignedIn retailer = this.accounts.register(Role.RETAILER);
		String client = newAddress();
		for (int i = 0; i < 3; i++) {
			categories(client).expectStatus().isOk();
		}
		categories(client).expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);

		this.http.get()
			.uri("/api/v1/categories")
			.header("X-Forwarded-For", client)
			.headers(retailer::bearer)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals(RateLimitHeaders.POLICY, FREE_TIER_ACCOUNT);
	}

	@Test
	void aForwardedForFromTheTrustedProxyCountsTheClientBehindIt() {
		String first = newAddress();
		for (int i = 0; i < 3; i++) {
			categories(first).expectStatus().isOk();
		}
		categories(first).expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
		// the proxy appends the client it saw: a spoofed left-hand entry changes nothing
		categories(newAddress() + ", " + first).expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
		categories(newAddress()).expectStatus().isOk();
	}

	@Test
	void aNotModifiedAnswerCostsNothing() {
		UUID product = newProduct();
		String client = newAddress();
		String etag = this.http.get()
			.uri("/api/v1/products/{id}", product)
			.header("X-Forwarded-For", client)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.value(RateLimitHeaders.STATE, (state) -> assertThat(state).startsWith("\"catalog.burst\";r=99;"))
			.returnResult(String.class)
			.getResponseHeaders()
			.getETag();
		for (int i = 0; i < 3; i++) {
			this.http.get()
				.uri("/api/v1/products/{id}", product)
				.header("X-Forwarded-For", client)
				.header(HttpHeaders.IF_NONE_MATCH, etag)
				.exchange()
				.expectStatus()
				.isNotModified();
		}
		// the tokens of a 304 are given back after it is answered: one token taken in all
		// (a token refills every 36 s, so the key lives 36 s per token taken)
		String key = "ratelimit:{ip:" + client + "}:catalog[burst,hour]";
		await().atMost(Duration.ofSeconds(2))
			.untilAsserted(() -> assertThat(this.redis.getExpire(key).block()).isBetween(Duration.ofSeconds(30),
					Duration.ofSeconds(36)));
		String state = this.http.get()
			.uri("/api/v1/products/{id}", product)
			.header("X-Forwarded-For", client)
			.exchange()
			.returnResult(String.class)
			.getResponseHeaders()
			.getFirst(RateLimitHeaders.STATE);
		assertThat(state).startsWith("\"catalog.burst\";r=98;");
	}

	@Test
	void aFullFeedCostsTenTokensOfTheFeedPolicy() {
		TestAccounts.SignedIn partner = this.accounts.register(Role.RETAILER);
		// an empty feed: the cost is the request's, whatever it streams
		String feed = "/api/v1/feed/products?categoryId=" + java.util.UUID.randomUUID();
		this.http.get()
			.uri(feed)
			.headers(partner::bearer)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.value(RateLimitHeaders.STATE, (value) -> assertThat(value).contains("\"feed.minute\";r=50"));
		for (int i = 0; i < 5; i++) {
			this.http.get().uri(feed).headers(partner::bearer).exchange().expectStatus().isOk();
		}
		this.http.get()
			.uri(feed)
			.headers(partner::bearer)
			.exchange()
			.expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.exists(HttpHeaders.RETRY_AFTER)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("rate_limited");
		// the account's other requests are not the feed's
		this.http.get().uri("/api/v1/me").headers(partner::bearer).exchange().expectStatus().isOk();
	}

	@Test
	void anAccountOfAHigherTierGetsItsTiersBuckets() {
		TestAccounts.SignedIn admin = this.accounts.admin();
		String email = TestAccounts.uniqueEmail(Role.DELIVERY);
		this.http.post()
			.uri("/api/v1/admin/accounts")
			.headers(admin::bearer)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("email", email, "password", TestAccounts.PASSWORD, "role", "DELIVERY", "tier", "partner"))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.tier")
			.isEqualTo("partner");
		TestAccounts.SignedIn partner = this.accounts.login(email, TestAccounts.PASSWORD);

		this.http.get()
			.uri("/api/v1/me")
			.headers(partner::bearer)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals(RateLimitHeaders.POLICY, "\"account.burst\";q=500;w=10, \"account.hour\";q=100000;w=3600");
		this.http.get()
			.uri("/api/v1/me")
			.headers(admin::bearer)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals(RateLimitHeaders.POLICY, FREE_TIER_ACCOUNT);
	}

	@Test
	void anAccountOfTheLoadTestTierIsCountedButNeverRefused() {
		TestAccounts.SignedIn admin = this.accounts.admin();
		String email = TestAccounts.uniqueEmail(Role.RETAILER);
		this.http.post()
			.uri("/api/v1/admin/accounts")
			.headers(admin::bearer)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("email", email, "password", TestAccounts.PASSWORD, "role", "RETAILER", "organizationName",
					"Load testers", "tier", "loadtest"))
			.exchange()
			.expectStatus()
			.isCreated();
		TestAccounts.SignedIn tester = this.accounts.login(email, TestAccounts.PASSWORD);
		String feed = "/api/v1/feed/products?categoryId=" + java.util.UUID.randomUUID();
		double before = feedRefusals("shadow_refused");
		double refusedBefore = feedRefusals("refused");
		// six feed requests empty the feed bucket of any other account (see above)
		for (int i = 0; i < 9; i++) {
			this.http.get().uri(feed).headers(tester::bearer).exchange().expectStatus().isOk();
		}
		assertThat(feedRefusals("shadow_refused") - before).isEqualTo(3);
		assertThat(feedRefusals("refused")).isEqualTo(refusedBefore);
	}

	private double feedRefusals(String outcome) {
		var counter = this.meters.find("aqad.ratelimit.requests").tags("policy", "feed", "outcome", outcome).counter();
		return (counter != null) ? counter.count() : 0;
	}

	@Test
	void aShadowPolicyRefusesNothingButCountsWhatItWouldHaveRefused() {
		String client = newAddress();
		double before = shadowRefusals();
		for (int i = 0; i < 5; i++) {
			this.http.get()
				.uri("/.well-known/jwks.json")
				.header("X-Forwarded-For", client)
				.exchange()
				.expectStatus()
				.isOk()
				.expectHeader()
				.doesNotExist(RateLimitHeaders.POLICY);
		}
		assertThat(shadowRefusals() - before).isEqualTo(3);
	}

	/**
	 * One take charges a request to a shadow policy and to enforced ones: once the shadow
	 * bucket (2 an hour) has run dry, the enforced buckets still count, so the probe's
	 * three tokens still run out on the fourth request.
	 */
	@Test
	void enforcedBucketsKeepCountingWhenAShadowBucketOfTheSameRequestRunsDry() {
		String client = newAddress();
		double before = shadowRefusals();
		for (int left = 2; left >= 0; left--) {
			String probe = "\"probe.second\";r=" + left + ";";
			categories(client).expectStatus()
				.isOk()
				.expectHeader()
				.value(RateLimitHeaders.STATE, (state) -> assertThat(state).contains(probe));
		}
		assertThat(shadowRefusals() - before).as("the third request found the shadow bucket dry").isEqualTo(1);
		categories(client).expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
	}

	private double shadowRefusals() {
		var counter = this.meters.find("aqad.ratelimit.requests")
			.tags("policy", "rehearsal", "outcome", "shadow_refused")
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private WebTestClient.ResponseSpec categories(String forwardedFor) {
		return this.http.get().uri("/api/v1/categories").header("X-Forwarded-For", forwardedFor).exchange();
	}

	private WebTestClient.ResponseSpec login(String forwardedFor, String email) {
		return this.http.post()
			.uri("/api/v1/auth/login")
			.header("X-Forwarded-For", forwardedFor)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("email", email, "password", "not the password"))
			.exchange();
	}

	private UUID newProduct() {
		TestAccounts.SignedIn admin = this.accounts.admin();
		String slug = "ratelimit-" + Long.toHexString(System.nanoTime());
		String category = TestAccounts
			.json(this.http.post()
				.uri("/api/v1/categories")
				.headers(admin::bearer)
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("name", "Rate limits", "slug", slug))
				.exchange()
				.expectStatus()
				.isCreated())
			.get("id")
			.stringValue();
		TestAccounts.SignedIn vendor = this.accounts.register(Role.VENDOR);
		Map<String, Object> body = new HashMap<>();
		body.put("sku", "RL-" + Long.toHexString(System.nanoTime()));
		body.put("name", "Throttled kettle");
		body.put("priceMinor", 4_500);
		body.put("currency", "EUR");
		body.put("stock", 10);
		body.put("categoryId", category);
		body.put("status", "ACTIVE");
		return UUID.fromString(
				TestAccounts
					.json(this.http.post()
						.uri("/api/v1/products")
						.headers(vendor::bearer)
						.contentType(MediaType.APPLICATION_JSON)
						.bodyValue(body)
						.exchange()
						.expectStatus()
						.isCreated())
					.get("id")
					.stringValue());
	}

	/**
	 * Sends {@code count} requests for an unknown product at once, spread over the given
	 * ports, all from one client; the number of answers by status.
	 */
	private static Map<HttpStatus, Long> concurrently(int count, List<Integer> ports, String client) {
		return concurrently(count, ports, List.of(client)).get(client);
	}

	/**
	 * Sends {@code count} requests for an unknown product at once, spread over the given
	 * ports and, in turn, over the clients; per client the number of answers by status.
	 */
	private static Map<String, Map<HttpStatus, Long>> concurrently(int count, List<Integer> ports,
			List<String> senders) {
		ConnectionProvider connections = ConnectionProvider.builder("concurrent")
			.maxConnections(CONCURRENCY)
			.pendingAcquireMaxCount(-1)
			.build();
		List<WebClient> clients = ports.stream()
			.map((port) -> WebClient.builder()
				.clientConnector(new ReactorClientHttpConnector(HttpClient.create(connections)))
				.baseUrl("http://localhost:" + port)
				.build())
			.toList();
		UUID unknown = UUID.randomUUID();
		Map<String, Map<HttpStatus, Long>> answers = new HashMap<>();
		Flux.range(0, count).flatMap((i) -> {
			String sender = senders.get(i % senders.size());
			return clients.get(i % clients.size())
				.get()
				.uri("/api/v1/products/{id}", unknown)
				.header("X-Forwarded-For", sender)
				.exchangeToMono((response) -> response.releaseBody()
					.thenReturn(Map.entry(sender, HttpStatus.valueOf(response.statusCode().value()))));
		}, CONCURRENCY)
			.collectList()
			.block(Duration.ofSeconds(60))
			.forEach((answer) -> answers.computeIfAbsent(answer.getKey(), (sender) -> new HashMap<>())
				.merge(answer.getValue(), 1L, Long::sum));
		connections.dispose();
		return answers;
	}

	/** an address from TEST-NET-3 and beyond, unique enough for one test run */
	static String newAddress() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
	}

}
