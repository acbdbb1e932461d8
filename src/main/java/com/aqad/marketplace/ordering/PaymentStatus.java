package com.aqad.marketplace.ordering;

/**
 * Whether an order has been paid (and, once cancelled, refunded).
 */
enum PaymentStatus {

	UNPAID, PAID, REFUNDED

}
