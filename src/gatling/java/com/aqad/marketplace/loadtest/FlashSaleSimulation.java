package com.aqad.marketplace.loadtest;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.gatling.javaapi.core.Simulation;

/**
 * A flash sale: many retailers order one SKU at once ({@link Scenarios#flashSale}). Fails
 * when more than 1 % of the orders get an answer other than 201 or 409 after their
 * retries, or when the product's stock ends below zero.
 * <p>
 * Settings: {@code stock} (100), {@code retailers} (20), {@code ordersPerSecond} (200),
 * {@code seconds} (30), plus {@link Marketplace}'s.
 */
public class FlashSaleSimulation extends Simulation {

	private static final int STOCK = Marketplace.setting("stock", 100);

	private final Marketplace marketplace = new Marketplace();

	private volatile String product;

	private volatile List<Map<String, Object>> retailers = List.of();

	{
		int rate = Marketplace.setting("ordersPerSecond", 200);
		setUp(Scenarios.flashSale(Scenarios.callers(() -> this.retailers, () -> this.product))
			.injectOpen(rampUsersPerSec(1).to(rate).during(Duration.ofSeconds(5)),
					constantUsersPerSec(rate).during(Duration.ofSeconds(Marketplace.setting("seconds", 30)))))
			.protocols(Scenarios.protocol("flash-sale"))
			.assertions(global().failedRequests().percent().lt(1.0));
	}

	@Override
	public void before() {
		String vendor = this.marketplace.account("VENDOR", 0);
		this.product = this.marketplace.product(vendor, this.marketplace.category(), STOCK, 1999);
		this.retailers = this.marketplace.callers("RETAILER", Marketplace.setting("retailers", 20));
		System.out.printf("Flash sale: product %s, stock %d, %d retailers, against %s%n", this.product, STOCK,
				this.retailers.size(), Marketplace.BASE_URL);
	}

	@Override
	public void after() {
		int left = this.marketplace.stock(this.product);
		System.out.printf("Flash sale over: %d of %d units sold, stock left %d%n", STOCK - left, STOCK, left);
		if (left < 0) {
			throw new IllegalStateException("oversold: stock " + left);
		}
	}

}
