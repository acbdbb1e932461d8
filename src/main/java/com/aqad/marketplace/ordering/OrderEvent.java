package com.aqad.marketplace.ordering;

import java.time.Instant;
import java.util.UUID;

import com.aqad.marketplace.platform.outbox.EventId;
import com.aqad.marketplace.platform.outbox.OutboxEvent;

/**
 * A change to an order, as the outbox holds it, with who may see it; {@code payload} is
 * the order's summary after the change (JSON).
 */
record OrderEvent(EventId id, String type, UUID orderId, UUID retailerId, UUID vendorId, UUID deliveryPartnerId,
		Instant at, String payload) implements OutboxEvent {

	@Override
	public String json() {
		return "{\"type\":\"" + this.type + "\",\"at\":\"" + this.at + "\",\"order\":" + this.payload + "}";
	}

}
