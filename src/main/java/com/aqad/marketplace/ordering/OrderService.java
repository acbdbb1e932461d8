package com.aqad.marketplace.ordering;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.r2dbc.spi.R2dbcException;
import reactor.core.publisher.Mono;

import com.aqad.marketplace.catalog.CatalogService;
import com.aqad.marketplace.identity.Caller;
import com.aqad.marketplace.identity.DeliveryPartners;
import com.aqad.marketplace.platform.web.ApiException;
import com.aqad.marketplace.platform.web.ApiException.FieldProblem;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Placing orders and moving them through their life. The database decides every
 * reservation; {@link StockHints} only spares it orders for products already sold out.
 */
@Service
class OrderService {

	private final OrderRepository orders;

	private final StockHints hints;

	/** told of every stock move, so that cached products never show stock that is gone */
	private final CatalogService catalog;

	private final DeliveryPartners deliveryPartners;

	private final OrderBatches batches;

	private final OrderMeters meters;

	OrderService(OrderRepository orders, StockHints hints, DeliveryPartners deliveryPartners, OrderBatches batches,
			CatalogService catalog, OrderMeters meters) {
		this.meters = meters;
		this.catalog = catalog;
		this.orders = orders;
		this.batches = batches;
		this.hints = hints;
		this.deliveryPartners = deliveryPartners;
	}

	/**
	 * Places the order: all lines reserved, or none (409 {@code insufficient_stock}
	 * naming the short lines); prices from the catalog.
	 */
	Mono<Order> place(Caller retailer, OrderInput.PlaceOrder command, IdempotencyKeys.Claim claim) {
		List<UUID> products = command.lines().stream().map(OrderInput.Wanted::productId).toList();
		return this.hints.soldOut(products).flatMap((soldOut) -> {
			if (!soldOut.isEmpty()) {
				this.meters.soldOutHint();
				return Mono.<Order>error(insufficientStock(command, Map.of(), soldOut));
			}
			return this.orders.offers(products)
				.collectMap(OrderRepository.Offer::id)
				.flatMap((offers) -> reserve(retailer, command, offers, claim));
		})
			.doOnNext((placed) -> this.meters.placed())
			.doOnError(ApiException.class, (refused) -> this.meters.refused(refused.code()));
	}

	private Mono<Order> reserve(Caller retailer, OrderInput.PlaceOrder command, Map<UUID, OrderRepository.Offer> offers,
			IdempotencyKeys.Claim claim) {
		List<FieldProblem> unavailable = new ArrayList<>();
		Set<UUID> vendors = new HashSet<>();
		Set<String> currencies = new HashSet<>();
		Map<UUID, Integer> stock = new LinkedHashMap<>();
		for (int i = 0; i < command.lines().size(); i++) {
			OrderRepository.Offer offer = offers.get(command.lines().get(i).productId());
			if (offer == null || !offer.isActive()) {
				unavailable.add(new FieldProblem("lines[" + i + "].productId", "is not a product on sale"));
				continue;
			}
			vendors.add(offer.vendorId());
			currencies.add(offer.currency());
			stock.put(offer.id(), offer.stock());
		}
		if (!unavailable.isEmpty()) {
			return Mono.error(new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "product_unavailable",
					"Some lines name products that are not on sale.", unavailable));
		}
		if (vendors.size() > 1) {
			return Mono.error(new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "multiple_vendors",
					"All lines of an order must be products of one vendor; place one order per vendor."));
		}
		if (currencies.size() > 1) {
			return Mono.error(new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "multiple_currencies",
					"All lines of an order must be priced in one currency."));
		}
		if (isShort(command, stock)) {
			// short already: no transaction needed to refuse it
			return refuse(command, stock);
		}
		if (command.lines().size() == 1) {
			return placeSingleLine(retailer, command, vendors.iterator().next(), currencies.iterator().next(), claim);
		}
		OrderRepository.NewOrder order = new OrderRepository.NewOrder(retailer.organizationId(), retailer.accountId(),
				vendors.iterator().next(), currencies.iterator().next(), command.lines(), command.note(), claim);
		return this.orders.place(order)
			.switchIfEmpty(Mono.error(OrderService::claimTakenOver))
			.doOnNext((placed) -> this.catalog.productsChanged(stock.keySet()))
			.flatMap((placed) -> this.hints.markSoldOut(soldOut(placed.stockLeft())).thenReturn(placed.order()))
			.onErrorResume(OrderService::isInsufficientStock,
					(ex) -> this.orders.offers(List.copyOf(stock.keySet()))
						.collectMap(OrderRepository.Offer::id, OrderRepository.Offer::stock)
						.flatMap((now) -> refuse(command, now)));
	}

	/**
	 * One product, one line: placed with the other orders for that product arriving
	 * meanwhile, in one statement ({@link OrderBatches}).
	 */
	private Mono<Order> placeSingleLine(Caller retailer, OrderInput.PlaceOrder command, UUID vendor, String currency,
			IdempotencyKeys.Claim claim) {
		OrderInput.Wanted line = command.lines().get(0);
		return this.batches
			.place(new OrderRepository.BatchedOrder(line.productId(), vendor, currency, retailer.organizationId(),
					retailer.accountId(), line.quantity(), command.note(), claim))
			.flatMap((outcome) -> {
				if (!outcome.claimHeld()) {
					return Mono.error(claimTakenOver());
				}
				if (outcome.order() != null) {
					this.catalog.productsChanged(List.of(line.productId()));
				}
				Mono<Void> hint = (outcome.stockLeft() == 0) ? this.hints.markSoldOut(List.of(line.productId()))
						: Mono.empty();
				return (outcome.order() != null) ? hint.thenReturn(outcome.order()) : hint.then(Mono
					.error(insufficientStock(command, Map.of(line.productId(), outcome.stockLeft()), Set.of())));
			});
	}

	private Mono<Order> refuse(OrderInput.PlaceOrder command, Map<UUID, Integer> stock) {
		return this.hints.markSoldOut(soldOut(stock)).then(Mono.error(insufficientStock(command, stock, Set.of())));
	}

	/**
	 * This request's Idempotency-Key was given back (its client left, or its deadline
	 * passed) and a retry took it over before the order statement ran: the retry places
	 * the order, this request places nothing.
	 */
	private static ApiException claimTakenOver() {
		return new ApiException(HttpStatus.CONFLICT, "request_in_progress",
				"A retry with this Idempotency-Key took this request over; its answer is the order's.");
	}

	private static boolean isShort(OrderInput.PlaceOrder command, Map<UUID, Integer> stock) {
		return command.lines().stream().anyMatch((line) -> stock.getOrDefault(line.productId(), 0) < line.quantity());
	}

	private static List<UUID> soldOut(Map<UUID, Integer> stock) {
		return stock.entrySet().stream().filter((entry) -> entry.getValue() == 0).map(Map.Entry::getKey).toList();
	}

	private static ApiException insufficientStock(OrderInput.PlaceOrder command, Map<UUID, Integer> stock,
			Set<UUID> soldOut) {
		List<FieldProblem> shortLines = new ArrayList<>();
		for (int i = 0; i < command.lines().size(); i++) {
			OrderInput.Wanted line = command.lines().get(i);
			if (soldOut.contains(line.productId())) {
				shortLines.add(new FieldProblem("lines[" + i + "].quantity", "sold out"));
			}
			else if (stock.containsKey(line.productId()) && stock.get(line.productId()) < line.quantity()) {
				shortLines.add(new FieldProblem("lines[" + i + "].quantity",
						"only " + stock.get(line.productId()) + " in stock"));
			}
		}
		return new ApiException(HttpStatus.CONFLICT, "insufficient_stock",
				"Not enough stock for " + shortLines.size() + " line(s); nothing was reserved.", shortLines);
	}

	private static boolean isInsufficientStock(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof R2dbcException r2dbc
					&& OrderRepository.INSUFFICIENT_STOCK.equals(r2dbc.getSqlState())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * An order the caller may see; 404 otherwise.
	 */
	Mono<Order> find(Caller caller, UUID id) {
		OrderVisibility visibility = OrderVisibility.of(caller);
		return this.orders.findById(id).filter(visibility::sees).switchIfEmpty(Mono.error(OrderService::notFound));
	}

	/**
	 * Makes a move of the state machine: 404 if the caller may not see the order, 403 if
	 * it may not make this move, 409 {@code invalid_transition} if the order's state does
	 * not allow it (now, or by the time the move is written).
	 */
	Mono<Order> move(Caller caller, UUID id, Transition transition) {
		return allowed(caller, id, transition).flatMap((order) -> {
			Mono<Order> moved = (transition == Transition.CANCEL)
					? this.orders.cancel(id, order.status())
						.doOnNext((cancelled) -> this.catalog.productsChanged(products(order)))
						.flatMap((cancelled) -> this.hints.restocked(products(order)).thenReturn(cancelled))
					: this.orders.move(id, order.status(), transition.to());
			return moved.switchIfEmpty(Mono.error(() -> invalidTransition(transition, null)))
				.flatMap(this.orders::withLines);
		});
	}

	Mono<Order> assignDelivery(Caller caller, UUID id, UUID partner) {
		return allowed(caller, id, Transition.ASSIGN_DELIVERY)
			.flatMap((order) -> this.deliveryPartners.isActive(partner))
			.flatMap((active) -> active
					? this.orders.assignDelivery(id, partner)
						.switchIfEmpty(Mono.error(() -> invalidTransition(Transition.ASSIGN_DELIVERY, null)))
					: Mono.<Order>error(ApiException.invalid("deliveryPartnerId", "is not an active DELIVERY account")))
			.flatMap(this.orders::withLines);
	}

	private Mono<Order> allowed(Caller caller, UUID id, Transition transition) {
		return find(caller, id).flatMap((order) -> {
			if (!transition.allows(caller, order)) {
				return Mono.error(new ApiException(HttpStatus.FORBIDDEN, "forbidden",
						"You may not " + transition.action() + " this order."));
			}
			if (!transition.startsFrom(order.status())) {
				return Mono.error(invalidTransition(transition, order.status()));
			}
			return Mono.just(order);
		});
	}

	/**
	 * Pays the order: its owning retailer, exactly its total, once.
	 */
	Mono<Payment> pay(Caller caller, UUID id, OrderInput.Pay pay, IdempotencyKeys.Claim claim) {
		return find(caller, id).flatMap((order) -> {
			if (!Transition.Party.OWNING_RETAILER.is(caller, order)) {
				return Mono.error(new ApiException(HttpStatus.FORBIDDEN, "forbidden",
						"Only the retailer that placed this order may pay it."));
			}
			ApiException refusal = paymentRefusal(order, pay);
			if (refusal != null) {
				return Mono.error(refusal);
			}
			return this.orders.capture(id, pay, caller.accountId(), claim)
				// paid or cancelled by someone else since we read it
				.switchIfEmpty(Mono.defer(() -> this.orders.findById(id)
					.flatMap((now) -> Mono.error((paymentRefusal(now, pay) != null) ? paymentRefusal(now, pay)
							: new ApiException(HttpStatus.CONFLICT, "request_in_progress",
									"The order changed while it was being paid; retry.")))));
		});
	}

	private static ApiException paymentRefusal(Order order, OrderInput.Pay pay) {
		if (order.status() == OrderStatus.CANCELLED) {
			return new ApiException(HttpStatus.CONFLICT, "invalid_transition", "A cancelled order cannot be paid.");
		}
		if (order.paymentStatus() != PaymentStatus.UNPAID) {
			return new ApiException(HttpStatus.CONFLICT, "already_paid", "This order is paid already.");
		}
		if (order.totalMinor() != pay.amountMinor()) {
			return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "amount_mismatch",
					"The amount must be the order's total, " + order.totalMinor() + " " + order.currency()
							+ " in minor units.",
					List.of(new FieldProblem("amountMinor", "must equal the order's totalMinor")));
		}
		return null;
	}

	Mono<List<Payment>> payments(Caller caller, UUID id) {
		return find(caller, id).flatMap((order) -> this.orders.payments(id).collectList());
	}

	/**
	 * The capture of an order (to answer a replayed payment request).
	 */
	Mono<Payment> capture(UUID id) {
		return this.orders.payments(id).filter((payment) -> payment.kind() == Payment.Kind.CAPTURE).next();
	}

	private static List<UUID> products(Order order) {
		return order.lines().stream().map(Order.Line::productId).toList();
	}

	private static ApiException invalidTransition(Transition transition, OrderStatus status) {
		return new ApiException(HttpStatus.CONFLICT, "invalid_transition",
				(status != null) ? "An order that is " + status + " cannot " + transition.action() + "."
						: "The order changed meanwhile; it can no longer " + transition.action() + ".");
	}

	static ApiException notFound() {
		return ApiException.notFound("No order with this id.");
	}

}
