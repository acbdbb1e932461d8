package com.aqad.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import com.aqad.marketplace.apidocs.ContractDocument;
import com.aqad.marketplace.apidocs.ContractDocument.Operation;
import com.aqad.marketplace.identity.Role;
import com.aqad.marketplace.identity.TestAccounts;
import com.aqad.marketplace.identity.TestAccounts.SignedIn;
import com.aqad.marketplace.platform.devservices.ApiTest;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Thousands of malformed requests over every route of the OpenAPI document (bad ids,
 * query parameters, headers, bodies; anonymous and signed in), plus what only a raw
 * socket can send (a bad request line, bad percent-encoding, huge headers and URIs):
 * never a 5xx, a problem body with the security headers on every error, and the database
 * unchanged.
 */
@ApiTest
class MalformedRequestsTests {

	private static final String[] TABLES = { "accounts", "api_keys", "categories", "idempotency_keys", "orders",
			"order_lines", "organizations", "payments", "products" };

	private static final String[] BAD_IDS = { "not-a-uuid", "1", "%27%20or%201%3D1--", "%00", "%E2%82%AC",
			"x".repeat(300), "..%2F..%2Fetc", UUID.randomUUID() + "x" };

	private static final String[][] BAD_QUERIES = { { "limit", "-1" }, { "limit", "abc" }, { "limit", "100000" },
			{ "cursor", "garbage" }, { "cursor", "%00" }, { "minPrice", "1e999" }, { "maxPrice", "-5" },
			{ "inStock", "maybe" }, { "sort", "drop_table" }, { "categoryId", "x" }, { "q", "x".repeat(5000) },
			{ "status", "LOST" }, { "from", "yesterday" }, { "updatedSince", "0" }, { "unknown", "1" },
			{ "limit", "1&limit=2" } };

	private static final String[][] BAD_HEADERS = { { "Accept", ";;;q=x" }, { "Accept", "application/xml" },
			{ "Content-Type", "text/plain" }, { "If-None-Match", "\u00ff\u00fe" }, { "If-Match", "*x" },
			{ "Idempotency-Key", "k".repeat(300) }, { "Authorization", "Bearer garbage" },
			{ "Authorization", "Bearer " }, { "Authorization", "Basic dXNlcjpwYXNz" }, { "X-API-Key", "garbage" },
			{ "X-Request-Id", "\u00e9".repeat(100) }, { "Last-Event-ID", "not-an-id" },
			{ "X-Forwarded-For", "not an address" }, { "Origin", "https://evil.example" } };

	private static final String[] BAD_BODIES = { "", "null", "[]", "{}", "{\"a\":1}", "{", "{\"x\":", "\"text\"",
			"[".repeat(5000) + "]".repeat(5000), "{\"a\":" + "9".repeat(2000) + "}", "{\"a\":\"\\u0000\"}",
			"{\"a\":\"\\ud800\"}", "{\"a\":1,\"a\":2}", "\u0000\u0001\u0002", "{\"a\":1} trailing" };

	private static final Object[] WRONG_VALUES = { null, true, -1, 1.5, "", "x".repeat(6000), "<script>", "\u0000",
			List.of(), Map.of("nested", 1), "00000000-0000-0000-0000-000000000000", Long.MAX_VALUE };

	@Autowired
	private WebTestClient http;

	@Autowired
	private DatabaseClient db;

	@LocalServerPort
	private int port;

	private SignedIn retailer;

	private SignedIn admin;

	@BeforeEach
	void accounts() {
		TestAccounts accounts = new TestAccounts(this.http);
		this.retailer = accounts.register(Role.RETAILER);
		this.admin = accounts.admin();
	}

	@Test
	void noMalformedRequestGetsA5xxOrChangesAnything() {
		Map<String, Long> before = rows();
		WebTestClient client = this.http.mutate().responseTimeout(Duration.ofSeconds(30)).build();
		List<String> failures = new ArrayList<>();
		int sent = 0;
		for (Operation operation : ContractDocument.get().operations()) {
			for (Request request : requests(operation)) {
				for (Consumer<HttpHeaders> credentials : List.<Consumer<HttpHeaders>>of((headers) -> {
				}, this.retailer::bearer, this.admin::bearer)) {
					sent++;
					String failure = check(client, request, credentials);
					if (failure != null) {
						failures.add(failure);
					}
				}
			}
		}
		assertThat(sent).isGreaterThan(3000);
		assertThat(failures).as("%d of %d malformed requests", failures.size(), sent).isEmpty();
		assertThat(rows()).as("rows per table").isEqualTo(before);
	}

	@Test
	void whatOnlyARawSocketCanSendGetsA4xxProblem() throws IOException {
		String[] requests = { "GET /api/v1/products/%zz HTTP/1.1\r\nHost: x\r\n\r\n",
				"GET /api/v1/products?q=%zz HTTP/1.1\r\nHost: x\r\n\r\n",
				"GET /api/v1/" + "a".repeat(20000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
				"GET /api/v1/products HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20000) + "\r\n\r\n",
				"GET /api/v1/products HTTP/1.1\r\nHost: x\r\nBroken header line\r\n\r\n",
				"BREW /api/v1/products HTTP/1.1\r\nHost: x\r\n\r\n",
				"POST /api/v1/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json, text/plain\r\n"
						+ "Content-Length: 2\r\n\r\n{}",
				"GET /api/v1/products HTTP/1.1\r\nHost: x\r\nAccept: ;;;q=x\r\n\r\n",
				"POST /api/v1/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json; charset=ebcdic\r\n"
						+ "Content-Length: 2\r\n\r\n{}",
				"OPTIONS /api/v1/products HTTP/1.1\r\nHost: x\r\nOrigin: https://evil.example\r\n"
						+ "Access-Control-Request-Method: GET\r\n\r\n",
				"POST /api/v1/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
						+ "99999999999999999999\r\n\r\n{}",
				"POST /api/v1/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
						+ "Transfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\nzz\r\n" };
		List<String> failures = new ArrayList<>();
		for (String request : requests) {
			String answer = raw(request);
			String statusLine = answer.lines().findFirst().orElse("");
			String line = request.lines().findFirst().orElse("");
			String shown = line.substring(0, Math.min(80, line.length()));
			if (!statusLine.matches("HTTP/1\\.1 4\\d\\d .*")) {
				failures.add(shown + " -> " + statusLine);
			}
			else if (!answer.contains("application/problem+json") || !answer.contains("X-Content-Type-Options")) {
				failures.add(shown + " -> " + statusLine + " without a problem body or security headers");
			}
		}
		assertThat(failures).isEmpty();
		// another major version of HTTP: 505, the one 5xx that is the client's doing
		assertThat(raw("GET /api/v1/products HTTP/9.9\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 505")
			.contains("application/problem+json");
	}

	private String check(WebTestClient client, Request request, Consumer<HttpHeaders> credentials) {
		EntityExchangeResult<byte[]> result;
		try {
			result = client.method(request.method())
				.uri(URI.create("http://localhost:" + this.port + request.path()))
				.headers(credentials)
				.headers((headers) -> request.headers().forEach(headers::set))
				.bodyValue(request.body())
				.exchange()
				.expectBody()
				.returnResult();
		}
		catch (RuntimeException | AssertionError ex) {
			return request + " -> " + ex;
		}
		int status = result.getStatus().value();
		String type = String.valueOf(result.getResponseHeaders().getContentType());
		if (status >= 500) {
			return request + " -> " + status + " "
					+ new String(
							result.getResponseBodyContent() != null ? result.getResponseBodyContent() : new byte[0],
							StandardCharsets.UTF_8);
		}
		if (status >= 400 && request.method() != HttpMethod.HEAD && (!type.startsWith("application/problem+json")
				|| result.getResponseHeaders().getFirst("X-Content-Type-Options") == null)) {
			return request + " -> " + status + " " + type + " without a problem body or security headers";
		}
		return null;
	}

	private List<Request> requests(Operation operation) {
		List<Request> requests = new ArrayList<>();
		HttpMethod method = HttpMethod.valueOf(operation.method());
		String path = operation.path().replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
		String body = operation.requestSchema("application/json").isPresent() ? "{}" : "";
		Map<String, String> json = Map.of("Content-Type", "application/json");
		for (String id : BAD_IDS) {
			if (operation.path().contains("{")) {
				requests.add(new Request(method, operation.path().replaceAll("\\{[^}]+}", id), json, body));
			}
		}
		for (String[] query : BAD_QUERIES) {
			requests.add(new Request(method, path + "?" + query[0] + "=" + query[1], json, body));
		}
		for (String[] header : BAD_HEADERS) {
			Map<String, String> headers = new LinkedHashMap<>(json);
			headers.put(header[0], header[1]);
			requests.add(new Request(method, path, headers, body));
		}
		if (method == HttpMethod.GET) {
			requests.add(new Request(HttpMethod.HEAD, path + "?limit=-1", Map.of(), ""));
		}
		if (!body.isEmpty()) {
			for (String bad : BAD_BODIES) {
				requests.add(new Request(method, path, json, bad));
			}
			requests.add(new Request(method, path, json, "{\"a\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}"));
			for (String property : operation.bodyProperties()) {
				for (Object wrong : WRONG_VALUES) {
					Map<String, Object> fields = new LinkedHashMap<>();
					fields.put(property, wrong);
					requests.add(new Request(method, path, json, toJson(fields)));
				}
			}
		}
		return requests;
	}

	private static String toJson(Map<String, Object> fields) {
		return tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(fields);
	}

	private Map<String, Long> rows() {
		Map<String, Long> rows = new LinkedHashMap<>();
		for (String table : TABLES) {
			rows.put(table,
					this.db.sql("select count(*) from " + table)
						.map((row) -> row.get(0, Long.class))
						.one()
						.block(Duration.ofSeconds(10)));
		}
		return rows;
	}

	private String raw(String request) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] buffer = new byte[8192];
			StringBuilder answer = new StringBuilder();
			int read;
			while (!answer.toString().contains("\r\n\r\n") && (read = in.read(buffer)) > 0) {
				answer.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
			}
			return answer.toString();
		}
		catch (java.net.SocketException ex) {
			return "closed: " + ex.getMessage();
		}
	}

	private record Request(HttpMethod method, String path, Map<String, String> headers, String body) {

		@Override
		public String toString() {
			String shownBody = (this.body.length() > 60) ? this.body.substring(0, 60) + "..." : this.body;
			String shownPath = (this.path.length() > 100) ? this.path.substring(0, 100) + "..." : this.path;
			return this.method + " " + shownPath + " " + this.headers + " " + shownBody;
		}

	}

}
