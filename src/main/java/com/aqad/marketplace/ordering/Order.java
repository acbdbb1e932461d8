package com.aqad.marketplace.ordering;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An order as the API shows it. {@code retailerId} and {@code vendorId} are
 * organizations; {@code deliveryPartnerId} the DELIVERY account assigned to it, if any.
 */
record Order(UUID id, UUID retailerId, UUID vendorId, OrderStatus status, PaymentStatus paymentStatus,
		UUID deliveryPartnerId, List<Line> lines, long totalMinor, String currency, String note, Instant createdAt,
		Instant updatedAt) {

	/**
	 * One product of an order, at the price it was sold at.
	 */
	record Line(UUID productId, String name, int quantity, long unitPriceMinor, long lineTotalMinor) {
	}

	Order withLines(List<Line> lines) {
		return new Order(this.id, this.retailerId, this.vendorId, this.status, this.paymentStatus,
				this.deliveryPartnerId, lines, this.totalMinor, this.currency, this.note, this.createdAt,
				this.updatedAt);
	}

}
