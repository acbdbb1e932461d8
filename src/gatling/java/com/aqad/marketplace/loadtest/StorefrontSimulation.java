package com.aqad.marketplace.loadtest;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.gatling.javaapi.core.Simulation;

/**
 * Storefront browsing ({@link Scenarios#storefront}): anonymous shoppers, or shoppers with
 * the API keys given by {@code -DapiKeys} (their account's tier decides their limits).
 * Anonymous shoppers all come from the load generator's one address: against a server
 * that enforces the per-address catalog limit, expect 429s (that is the limit working).
 * <p>
 * Settings: {@code shoppersPerSecond} (50), {@code seconds} (60).
 */
public class StorefrontSimulation extends Simulation {

	private volatile List<Map<String, Object>> shoppers = List.of();

	{
		setUp(Scenarios.storefront(Scenarios.callers(() -> this.shoppers, () -> ""))
			.injectOpen(constantUsersPerSec(Marketplace.setting("shoppersPerSecond", 50))
				.during(Duration.ofSeconds(Marketplace.setting("seconds", 60)))))
			.protocols(Scenarios.protocol("storefront"))
			.assertions(global().failedRequests().percent().lt(1.0),
					global().responseTime().percentile(99.0).lt(Marketplace.setting("p99Millis", 250)));
	}

	@Override
	public void before() {
		if (System.getProperty("apiKeys") != null) {
			this.shoppers = new Marketplace().callers("RETAILER", 0);
		}
	}

}
