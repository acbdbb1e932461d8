package com.aqad.marketplace.platform.outbox;

/**
 * One row of an outbox: an event written in the same transaction as the change it tells.
 */
public interface OutboxEvent {

	EventId id();

}
