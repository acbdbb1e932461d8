package com.aqad.marketplace.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.gatling.http.client.Request;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpProtocolBuilder;

/**
 * The promotion's three crowds, as Gatling scenarios any simulation can mix: storefront
 * shoppers, retailers in a flash sale, partners reading the feed.
 */
final class Scenarios {

	private Scenarios() {
	}

	/**
	 * The virtual user's credentials: {@code Authorization: Bearer ...} or
	 * {@code X-API-Key}; none for an anonymous shopper.
	 */
	private static Request credentials(Request request, Session session) {
		String name = session.getString("authHeader");
		if (name != null && !name.isEmpty()) {
			request.getHeaders().set(name, session.getString("authValue"));
		}
		return request;
	}

	static HttpProtocolBuilder protocol(String agent) {
		return http.baseUrl(Marketplace.BASE_URL)
			.acceptHeader("application/json")
			.contentTypeHeader("application/json")
			.userAgentHeader("aqad-loadtest/" + agent);
	}

	/**
	 * One caller per virtual user, drawn at random from those {@code callers} gives once
	 * the simulation's {@code before()} has made them; with a fresh Idempotency-Key.
	 */
	static Iterator<Map<String, Object>> callers(Supplier<List<Map<String, Object>>> callers,
			Supplier<String> product) {
		return Stream.generate(() -> {
			List<Map<String, Object>> all = callers.get();
			Map<String, Object> caller = all.isEmpty() ? Map.of("authHeader", "", "authValue", "")
					: all.get(ThreadLocalRandom.current().nextInt(all.size()));
			return Map.<String, Object>of("authHeader", caller.get("authHeader"), "authValue",
					caller.get("authValue"), "product", String.valueOf(product.get()), "idempotencyKey",
					UUID.randomUUID().toString());
		}).iterator();
	}

	/**
	 * A retailer orders one unit of the sale's product; the same Idempotency-Key on each
	 * of up to 3 tries (a 5xx or a lost answer is retried, never placed twice). 201 placed,
	 * 409 sold out: anything else fails the request.
	 */
	static ScenarioBuilder flashSale(Iterator<Map<String, Object>> retailers) {
		return scenario("flash sale").feed(retailers)
			.tryMax(3)
			.on(exec(http("place order").post("/api/v1/orders")
				.sign(Scenarios::credentials)
				.header("Idempotency-Key", "#{idempotencyKey}")
				.body(StringBody("{\"lines\":[{\"productId\":\"#{product}\",\"quantity\":1}]}"))
				.check(status().in(201, 409))));
	}

	/**
	 * A shopper: categories, a category's first page and the next, a search, a product
	 * page, and the same page again with {@code If-None-Match} (304 when unchanged).
	 * Anonymous unless callers are given (an API key with {@code catalog:read}).
	 */
	static ScenarioBuilder storefront(Iterator<Map<String, Object>> shoppers) {
		return scenario("storefront").feed(shoppers)
			.exec(http("categories").get("/api/v1/categories")
				.sign(Scenarios::credentials)
				.check(status().is(200), jsonPath("$.items[*].id").findRandom().saveAs("category")))
			.exec(http("category page").get("/api/v1/products?limit=20&categoryId=#{category}")
				.sign(Scenarios::credentials)
				.check(status().is(200), jsonPath("$.items[*].id").findRandom().optional().saveAs("productId"),
						jsonPath("$.nextCursor").optional().saveAs("cursor")))
			.doIf((session) -> session.getString("cursor") != null)
			.then(exec(http("next page").get("/api/v1/products?limit=20&categoryId=#{category}&cursor=#{cursor}")
				.sign(Scenarios::credentials)
				.check(status().is(200))))
			.exec(http("search").get("/api/v1/products?q=tea&sort=relevance&limit=20")
				.sign(Scenarios::credentials)
				.check(status().is(200)))
			.doIf((session) -> session.contains("productId"))
			.then(exec(http("product").get("/api/v1/products/#{productId}")
				.sign(Scenarios::credentials)
				.check(status().is(200), header("ETag").saveAs("etag")))
				.exec(http("product again").get("/api/v1/products/#{productId}")
					.sign(Scenarios::credentials)
					.header("If-None-Match", "#{etag}")
					.check(status().in(200, 304))));
	}

	/**
	 * A partner reads the whole active catalog as NDJSON.
	 */
	static ScenarioBuilder feedReaders(Iterator<Map<String, Object>> partners) {
		return scenario("partner feed").feed(partners)
			.exec(http("full feed").get("/api/v1/feed/products")
				.sign(Scenarios::credentials)
				.header("Accept", "application/x-ndjson")
				.check(status().is(200)));
	}


}
