package com.aqad.marketplace.platform.web;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.aqad.marketplace.identity.Role;
import com.aqad.marketplace.identity.TestAccounts;
import com.aqad.marketplace.identity.TestAccounts.SignedIn;
import com.aqad.marketplace.platform.devservices.ApiTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP as client libraries expect it (HEAD, 415 and 406 before 405) and inputs that used
 * to be 500s: each is a 4xx problem with the security headers, and changes nothing.
 */
@ApiTest
class HttpSemanticsTests {

	@Autowired
	private WebTestClient http;

	@Autowired
	private DatabaseClient db;

	private SignedIn vendor;

	private SignedIn retailer;

	private SignedIn admin;

	@BeforeEach
	void accounts() {
		TestAccounts accounts = new TestAccounts(this.http);
		this.vendor = accounts.register(Role.VENDOR);
		this.retailer = accounts.register(Role.RETAILER);
		this.admin = accounts.admin();
	}

	@Test
	void everyGetRouteAnswersHeadWithTheHeadOfTheGet() {
		String body = this.http.get()
			.uri("/api/v1/categories")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		this.http.head()
			.uri("/api/v1/categories")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentLength(body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
			.expectHeader()
			.exists(HttpHeaders.ETAG)
			.expectHeader()
			.valueEquals("X-Content-Type-Options", "nosniff")
			.expectBody()
			.isEmpty();
		this.http.head().uri("/api/v1/products/{id}", UUID.randomUUID()).exchange().expectStatus().isNotFound();
		this.http.head()
			.uri("/api/v1/me")
			.headers(this.vendor::bearer)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.isEmpty();
	}

	@Test
	void aWrongMethodNamesHeadWhereGetIsAllowed() {
		this.http.put()
			.uri("/api/v1/categories")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isEqualTo(405)
			.expectHeader()
			.value(HttpHeaders.ALLOW, (allow) -> assertThat(allow).contains("GET", "HEAD", "POST"));
	}

	@ParameterizedTest
	@CsvSource({ "POST, /api/v1/orders", "POST, /api/v1/products", "PATCH, /api/v1/products/{id}",
			"POST, /api/v1/categories", "POST, /api/v1/api-keys", "POST, /api/v1/orders/{id}/payments" })
	void aBodyOfAnotherMediaTypeIs415EvenWhereThePathHasOtherMethods(String method, String path) {
		SignedIn caller = path.startsWith("/api/v1/orders") ? this.retailer
				: path.startsWith("/api/v1/categories") ? this.admin : this.vendor;
		this.http.method(HttpMethod.valueOf(method))
			.uri(path, UUID.randomUUID())
			.headers(caller::bearer)
			.contentType(MediaType.TEXT_PLAIN)
			.bodyValue("hello")
			.exchange()
			.expectStatus()
			.isEqualTo(415)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("unsupported_media_type");
	}

	@Test
	void anAcceptTheRouteCannotSatisfyIs406NamingWhatItOffers() {
		this.http.get()
			.uri("/api/v1/products/{id}", UUID.randomUUID())
			.accept(MediaType.APPLICATION_XML)
			.exchange()
			.expectStatus()
			.isEqualTo(406)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("not_acceptable")
			.jsonPath("$.detail")
			.value((String detail) -> assertThat(detail).contains("application/json"));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "GET|/api/v1/products?limit=1|Accept|;;;q=x",
					"GET|/api/v1/categories|Accept|application/json;q=nope,,;",
					"POST|/api/v1/products|Content-Type|application/json, text/plain",
					"POST|/api/v1/auth/login|Content-Type|application/json, text/plain" })
	void malformedMediaTypeHeadersAre400Problems(String method, String uri, String header, String value) {
		this.http.method(HttpMethod.valueOf(method)).uri(uri).header(header, value).headers((headers) -> {
			if (method.equals("POST")) {
				this.vendor.bearer(headers);
			}
		})
			.exchange()
			.expectStatus()
			.value((status) -> assertThat(status).isBetween(400, 499))
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader()
			.valueEquals("X-Frame-Options", "DENY");
	}

	@Test
	void duplicateKeysAreRefusedAndChangeNothing() {
		String email = TestAccounts.uniqueEmail(Role.RETAILER);
		this.http.post()
			.uri("/api/v1/auth/register")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"email\":\"" + email + "\",\"password\":\"" + TestAccounts.PASSWORD
					+ "\",\"role\":\"ADMIN\",\"role\":\"RETAILER\",\"organizationName\":\"Dup\"}")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.detail")
			.value((String detail) -> assertThat(detail).contains("more than once"));
		assertThat(count("select count(*) from accounts where email = '" + email + "'")).isZero();

		long products = count("select count(*) from products");
		this.http.post()
			.uri("/api/v1/products")
			.headers(this.vendor::bearer)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"sku\":\"DUP-1\",\"name\":\"Dup\",\"categoryId\":\"" + UUID.randomUUID()
					+ "\",\"priceMinor\":100,\"currency\":\"EUR\",\"stock\":-1,\"stock\":1}")
			.exchange()
			.expectStatus()
			.isBadRequest();
		assertThat(count("select count(*) from products")).isEqualTo(products);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"/api/v1/auth/login|{\"email\":\"a\\u0000b@example.com\",\"password\":\"whatever-long\"}",
			"/api/v1/auth/register|{\"email\":\"n\\u0000l@example.com\",\"password\":\"correct horse battery\",\"role\":\"RETAILER\",\"organizationName\":\"x\"}",
			"/api/v1/auth/login|{\"email\":\"someone@example.com\",\"password\":\"lone \\ud800 surrogate\"}",
			"/api/v1/auth/register|{\"email\":\"s@example.com\",\"password\":\"lone \\udc00 surrogate!\",\"role\":\"RETAILER\",\"organizationName\":\"x\"}" })
	void textThatIsNotValidUnicodeIsRefusedAtTheEdge(String uri, String body) {
		this.http.post()
			.uri(uri)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody(String.class)
			.value((problem) -> assertThat(problem).contains("not valid Unicode"));
	}

	@Test
	void aProductNameThatIsNotValidUnicodeIsRefusedNotStoredAsQuestionMarks() {
		long products = count("select count(*) from products");
		this.http.post()
			.uri("/api/v1/products")
			.headers(this.vendor::bearer)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"sku\":\"BAD-UNI\",\"name\":\"Kettle \\ud800\",\"categoryId\":\"" + UUID.randomUUID()
					+ "\",\"priceMinor\":100,\"currency\":\"EUR\",\"stock\":1}")
			.exchange()
			.expectStatus()
			.isBadRequest();
		assertThat(count("select count(*) from products")).isEqualTo(products);
	}

	private long count(String sql) {
		return this.db.sql(sql).map((row) -> row.get(0, Long.class)).one().block();
	}

}
