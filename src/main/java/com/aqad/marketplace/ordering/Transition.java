package com.aqad.marketplace.ordering;

import static com.aqad.marketplace.ordering.OrderStatus.CANCELLED;
import static com.aqad.marketplace.ordering.OrderStatus.CONFIRMED;
import static com.aqad.marketplace.ordering.OrderStatus.DELIVERED;
import static com.aqad.marketplace.ordering.OrderStatus.PLACED;
import static com.aqad.marketplace.ordering.OrderStatus.SHIPPED;

import java.util.Set;

import com.aqad.marketplace.identity.Caller;
import com.aqad.marketplace.identity.Role;

/**
 * The order state machine, in one table: each move, the states it may start from, the
 * state it leads to, and who may make it. Nothing else decides a move.
 */
enum Transition {

	CONFIRM("confirm", Set.of(PLACED), CONFIRMED, Party.OWNING_VENDOR),

	ASSIGN_DELIVERY("assign-delivery", Set.of(CONFIRMED), CONFIRMED, Party.ADMIN),

	SHIP("ship", Set.of(CONFIRMED), SHIPPED, Party.ASSIGNED_DELIVERY),

	DELIVER("deliver", Set.of(SHIPPED), DELIVERED, Party.ASSIGNED_DELIVERY),

	CANCEL("cancel", Set.of(PLACED, CONFIRMED), CANCELLED, Party.OWNING_RETAILER, Party.OWNING_VENDOR, Party.ADMIN);

	private final String action;

	private final Set<OrderStatus> from;

	private final OrderStatus to;

	private final Set<Party> parties;

	Transition(String action, Set<OrderStatus> from, OrderStatus to, Party... parties) {
		this.action = action;
		this.from = from;
		this.to = to;
		this.parties = Set.of(parties);
	}

	/**
	 * The path segment of this move ({@code POST /orders/{id}/<action>}).
	 */
	String action() {
		return this.action;
	}

	OrderStatus to() {
		return this.to;
	}

	/**
	 * Whether the order's state allows this move.
	 */
	boolean startsFrom(OrderStatus status) {
		return this.from.contains(status);
	}

	/**
	 * Whether this caller may make this move on this order (which it may see).
	 */
	boolean allows(Caller caller, Order order) {
		return this.parties.stream().anyMatch((party) -> party.is(caller, order));
	}

	/**
	 * Who, relative to an order, may act on it.
	 */
	enum Party {

		OWNING_RETAILER, OWNING_VENDOR, ASSIGNED_DELIVERY, ADMIN;

		boolean is(Caller caller, Order order) {
			return switch (this) {
				case OWNING_RETAILER -> caller.is(Role.RETAILER) && caller.belongsTo(order.retailerId());
				case OWNING_VENDOR -> caller.is(Role.VENDOR) && caller.belongsTo(order.vendorId());
				case ASSIGNED_DELIVERY ->
					caller.is(Role.DELIVERY) && caller.accountId().equals(order.deliveryPartnerId());
				case ADMIN -> caller.is(Role.ADMIN);
			};
		}

	}

}
