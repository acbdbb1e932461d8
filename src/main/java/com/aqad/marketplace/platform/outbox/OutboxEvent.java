package com.aqad.marketplace.platform.outbox;

/**
 * One row of an outbox: an event written in the same transaction as the change it tells.
 */
public interface OutboxEvent {

	EventId id();

	/**
	 * The event's type, the SSE {@code event} field ({@code order.created}).
	 */
	String type();

	/**
	 * The event as its readers get it (JSON), the SSE {@code data} field.
	 */
	String json();

}
