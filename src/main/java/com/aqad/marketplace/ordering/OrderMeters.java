package com.aqad.marketplace.ordering;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * What a promotion asks of the orders: how many are placed, how many refused and why
 * ({@code insufficient_stock}, {@code product_unavailable}, ...), how many of the
 * refusals a sold-out hint answered without a transaction, how many orders one statement
 * placed together, and how many answers were idempotent replays.
 */
@Component
class OrderMeters {

	private static final double[] BATCH_SIZES = { 1, 2, 4, 8, 16, 32, 64, 128 };

	private final MeterRegistry meters;

	private final Counter placed;

	private final Counter soldOutHints;

	private final DistributionSummary batchSizes;

	private final Map<String, Counter> refused = new ConcurrentHashMap<>();

	private final Map<String, Counter> replays = new ConcurrentHashMap<>();

	OrderMeters(MeterRegistry meters) {
		this.meters = meters;
		this.placed = Counter.builder("aqad.orders.placed").description("Orders placed").register(meters);
		this.soldOutHints = Counter.builder("aqad.orders.sold.out.hints")
			.description("Orders refused by a sold-out hint, without a database transaction")
			.register(meters);
		this.batchSizes = DistributionSummary.builder("aqad.orders.batch.size")
			.description("Single-line orders for one product placed by one statement")
			.serviceLevelObjectives(BATCH_SIZES)
			.register(meters);
		// present from the start, so that dashboards and alerts see zeros rather than
		// nothing
		refusals("insufficient_stock");
		replays("order");
		replays("payment");
	}

	void placed() {
		this.placed.increment();
	}

	void refused(String reason) {
		refusals(reason).increment();
	}

	void soldOutHint() {
		this.soldOutHints.increment();
	}

	void batch(int size) {
		this.batchSizes.record(size);
	}

	void replayed(String request) {
		replays(request).increment();
	}

	private Counter refusals(String reason) {
		return this.refused.computeIfAbsent(reason,
				(key) -> Counter.builder("aqad.orders.refused")
					.description("Orders refused, by the problem code of the answer")
					.tag("reason", key)
					.register(this.meters));
	}

	private Counter replays(String request) {
		return this.replays.computeIfAbsent(request,
				(key) -> Counter.builder("aqad.orders.idempotent.replays")
					.description("Answers repeated for a request with the same Idempotency-Key and body")
					.tag("request", key)
					.register(this.meters));
	}

}
