package com.aqad.marketplace.ordering;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

import org.springframework.stereotype.Component;

/**
 * Single-line orders for one product, placed together: while one statement for a product
 * runs, the orders arriving for it wait, and the next statement takes them all (up to
 * {@code aqad.ordering.max-batch}), first come first served. A hot product's row is then
 * locked and committed once per batch instead of once per order; under light load a batch
 * is one order and nothing waits.
 */
@Component
class OrderBatches {

	private final OrderRepository orders;

	private final int maxBatch;

	private final Map<UUID, Lane> lanes = new ConcurrentHashMap<>();

	private final OrderMeters meters;

	OrderBatches(OrderRepository orders, OrderingProperties properties, OrderMeters meters) {
		this.meters = meters;
		this.orders = orders;
		this.maxBatch = properties.maxBatch();
	}

	/**
	 * The outcome of one order of a batch: the order, or empty when the stock left
	 * (given) was not enough for it.
	 */
	record Outcome(Order order, int stockLeft, boolean claimHeld) {
	}

	Mono<Outcome> place(OrderRepository.BatchedOrder order) {
		return Mono.create((sink) -> this.lanes.computeIfAbsent(order.productId(), Lane::new).add(order, sink));
	}

	private record Pending(OrderRepository.BatchedOrder order, MonoSink<Outcome> sink) {
	}

	private final class Lane {

		private final UUID productId;

		private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();

		private final AtomicBoolean running = new AtomicBoolean();

		Lane(UUID productId) {
			this.productId = productId;
		}

		void add(OrderRepository.BatchedOrder order, MonoSink<Outcome> sink) {
			this.queue.add(new Pending(order, sink));
			drain();
		}

		private void drain() {
			while (!this.queue.isEmpty() && this.running.compareAndSet(false, true)) {
				List<Pending> batch = new ArrayList<>();
				for (Pending next; batch.size() < OrderBatches.this.maxBatch && (next = this.queue.poll()) != null;) {
					batch.add(next);
				}
				if (batch.isEmpty()) {
					this.running.set(false);
					continue;
				}
				run(batch);
				return;
			}
		}

		private void run(List<Pending> batch) {
			OrderBatches.this.meters.batch(batch.size());
			OrderBatches.this.orders.placeBatch(this.productId, batch.stream().map(Pending::order).toList())
				.doFinally((signal) -> {
					this.running.set(false);
					drain();
				})
				.subscribe((outcomes) -> {
					for (int i = 0; i < batch.size(); i++) {
						batch.get(i).sink().success(outcomes.get(i));
					}
				}, (error) -> batch.forEach((pending) -> pending.sink().error(error)));
		}

	}

}
