package com.aqad.marketplace.loadtest;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.gatling.javaapi.core.Simulation;

/**
 * A promotion: shoppers browse all along, partners keep streaming the feed, and after
 * {@code saleAfter} seconds (20) a flash sale starts on one SKU. What a promotion day
 * looks like, in one report.
 * <p>
 * Settings: {@code shoppersPerSecond} (50), {@code feedReaders} (2), {@code ordersPerSecond}
 * (100), {@code stock} (100), {@code retailers} (20), {@code seconds} (60).
 */
public class PromotionSimulation extends Simulation {

	private final Marketplace marketplace = new Marketplace();

	private volatile String product;

	private volatile List<Map<String, Object>> retailers = List.of();

	private volatile List<Map<String, Object>> partners = List.of();

	{
		Duration length = Duration.ofSeconds(Marketplace.setting("seconds", 60));
		Duration saleAfter = Duration.ofSeconds(Marketplace.setting("saleAfter", 20));
		setUp(Scenarios.storefront(Scenarios.callers(List::of, () -> ""))
			.injectOpen(constantUsersPerSec(Marketplace.setting("shoppersPerSecond", 50)).during(length)),
				Scenarios.feedReaders(Scenarios.callers(() -> this.partners, () -> ""))
					.injectClosed(constantConcurrentUsers(Marketplace.setting("feedReaders", 2)).during(length)),
				Scenarios.flashSale(Scenarios.callers(() -> this.retailers, () -> this.product))
					.injectOpen(nothingFor(saleAfter), constantUsersPerSec(Marketplace.setting("ordersPerSecond", 100))
						.during(length.minus(saleAfter))))
			.protocols(Scenarios.protocol("promotion"))
			.assertions(global().failedRequests().percent().lt(1.0),
					details("place order").failedRequests().percent().lt(1.0));
	}

	@Override
	public void before() {
		String vendor = this.marketplace.account("VENDOR", 0);
		this.product = this.marketplace.product(vendor, this.marketplace.category(), Marketplace.setting("stock", 100),
				1999);
		this.retailers = this.marketplace.callers("RETAILER", Marketplace.setting("retailers", 20));
		this.partners = this.retailers.subList(0, Math.min(this.retailers.size(), 2));
	}

}
