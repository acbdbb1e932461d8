package com.aqad.marketplace.loadtest;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.global;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.gatling.javaapi.core.Simulation;

/**
 * Partner integrations streaming the whole catalog ({@link Scenarios#feedReaders}),
 * {@code feedReaders} (4) at a time for {@code seconds} (60), as load-test accounts (or
 * the keys of {@code -DapiKeys}, with {@code feed:read}).
 */
public class PartnerFeedSimulation extends Simulation {

	private volatile List<Map<String, Object>> partners = List.of();

	{
		setUp(Scenarios.feedReaders(Scenarios.callers(() -> this.partners, () -> ""))
			.injectClosed(constantConcurrentUsers(Marketplace.setting("feedReaders", 4))
				.during(Duration.ofSeconds(Marketplace.setting("seconds", 60)))))
			.protocols(Scenarios.protocol("partner-feed"))
			.assertions(global().failedRequests().percent().lt(1.0));
	}

	@Override
	public void before() {
		this.partners = new Marketplace().callers("RETAILER", Marketplace.setting("feedReaders", 4));
	}

}
