package com.aqad.marketplace.ordering;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import com.aqad.marketplace.identity.Caller;
import com.aqad.marketplace.platform.outbox.EventId;
import com.aqad.marketplace.platform.outbox.EventStream;
import com.aqad.marketplace.platform.outbox.PostgresNotifications;
import com.aqad.marketplace.platform.web.Page;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * What callers read about orders: pages, exports and live events, each limited to the
 * orders the caller may see. Also keeps the outbox and the idempotency keys pruned.
 */
@Service
class OrderQueries {

	private static final Logger logger = LoggerFactory.getLogger(OrderQueries.class);

	private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

	private final OrderRepository orders;

	private final OrderEvents outbox;

	private final IdempotencyKeys idempotency;

	private final OrderingProperties properties;

	private final EventStream<OrderEvent, OrderVisibility> events;

	private Disposable pruning;

	OrderQueries(OrderRepository orders, OrderEvents outbox, IdempotencyKeys idempotency, OrderingProperties properties,
			PostgresNotifications notifications) {
		this.orders = orders;
		this.outbox = outbox;
		this.idempotency = idempotency;
		this.properties = properties;
		OrderingProperties.Events settings = properties.events();
		this.events = new EventStream<>(outbox, notifications.on(OrderEvents.CHANNEL),
				new EventStream.Settings(settings.pollInterval(), settings.pageSize(), settings.readerBuffer()));
	}

	Mono<Page<Order>> list(Caller caller, OrderStatus status, OrderCursor after, int limit) {
		return this.orders.list(OrderVisibility.of(caller), status, after, limit).collectList().flatMap((rows) -> {
			boolean more = rows.size() > limit;
			List<Order> page = more ? rows.subList(0, limit) : rows;
			String next = more ? OrderCursor.after(page.get(page.size() - 1)).encode() : null;
			if (page.isEmpty()) {
				return Mono.just(new Page<Order>(List.of(), null));
			}
			Map<UUID, List<Order.Line>> lines = new LinkedHashMap<>();
			return this.orders.lines(page.stream().map(Order::id).toList(), lines).then(Mono.fromSupplier(() -> {
				List<Order> items = new ArrayList<>();
				page.forEach(
						(order) -> items.add(order.withLines(List.copyOf(lines.getOrDefault(order.id(), List.of())))));
				return new Page<>(items, next);
			}));
		});
	}

	Flux<String> export(Caller caller, Instant from, Instant to) {
		return this.orders.export(OrderVisibility.of(caller), from, to, this.properties.exportFetchSize());
	}

	Mono<Flux<OrderEvent>> events(Caller caller, EventId from) {
		OrderVisibility visibility = OrderVisibility.of(caller);
		return this.events.open(from, visibility,
				(event) -> visibility.sees(event.retailerId(), event.vendorId(), event.deliveryPartnerId()));
	}

	@EventListener(ApplicationReadyEvent.class)
	void startPruning() {
		this.pruning = Flux.interval(PRUNE_EVERY, PRUNE_EVERY)
			.onBackpressureDrop()
			.concatMap((tick) -> this.outbox.prune().then(this.idempotency.prune()).onErrorResume((ex) -> {
				logger.warn("Pruning order events or idempotency keys failed ({})", ex.toString());
				return Mono.empty();
			}))
			.subscribe();
	}

	@EventListener(ContextClosedEvent.class)
	void closeStreams() {
		this.events.close();
	}

	@PreDestroy
	void stopPruning() {
		if (this.pruning != null) {
			this.pruning.dispose();
		}
	}

}
