package com.aqad.marketplace.ordering;

/**
 * Where an order is in its fulfilment.
 */
enum OrderStatus {

	PLACED, CONFIRMED, SHIPPED, DELIVERED, CANCELLED

}
