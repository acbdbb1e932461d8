package com.aqad.marketplace.feed;

import java.time.Instant;
import java.util.UUID;

import com.aqad.marketplace.platform.outbox.EventId;
import com.aqad.marketplace.platform.outbox.OutboxEvent;

/**
 * A change to a product partners may see, as the outbox holds it: {@code product} is the
 * product after the change, as the feed shows it (JSON).
 */
record ProductEvent(EventId id, String type, UUID productId, UUID vendorId, UUID categoryId, UUID previousCategoryId,
		Instant at, String product) implements OutboxEvent {

	/**
	 * The event's SSE data: its type, when, and the product (already JSON).
	 */
	@Override
	public String json() {
		return "{\"type\":\"" + this.type + "\",\"at\":\"" + this.at + "\",\"product\":" + this.product + "}";
	}

}
