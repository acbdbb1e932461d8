package com.aqad.marketplace.ordering;

import java.util.UUID;

import com.aqad.marketplace.identity.Caller;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Which orders a caller may see: a retailer its organization's, a vendor its
 * organization's, a delivery partner those assigned to it, an administrator all. The same
 * rule, as a value the repository turns into SQL, and as a test of one order or event.
 *
 * @param column the orders (and order_events) column that must equal {@code value};
 * {@code null}: every order
 * @param value the caller's organization or account
 */
record OrderVisibility(String column, UUID value) {

	static OrderVisibility of(Caller caller) {
		return switch (caller.role()) {
			case RETAILER -> new OrderVisibility("retailer_id", caller.organizationId());
			case VENDOR -> new OrderVisibility("vendor_id", caller.organizationId());
			case DELIVERY -> new OrderVisibility("delivery_partner_id", caller.accountId());
			case ADMIN -> new OrderVisibility(null, null);
		};
	}

	/**
	 * The SQL condition ({@code " and <alias>.<column> = :who"}, or nothing for
	 * everything), bound by {@link #bind}.
	 */
	String condition(String alias) {
		return (this.column != null) ? " and " + alias + this.column + " = :who" : "";
	}

	DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec) {
		return (this.column != null) ? spec.bind("who", this.value) : spec;
	}

	boolean sees(UUID retailerId, UUID vendorId, UUID deliveryPartnerId) {
		if (this.column == null) {
			return true;
		}
		return switch (this.column) {
			case "retailer_id" -> this.value.equals(retailerId);
			case "vendor_id" -> this.value.equals(vendorId);
			default -> this.value.equals(deliveryPartnerId);
		};
	}

	boolean sees(Order order) {
		return sees(order.retailerId(), order.vendorId(), order.deliveryPartnerId());
	}

}
