package com.aqad.marketplace.ordering;

import java.time.Instant;
import java.util.UUID;

/**
 * Money recorded against an order: the capture that paid it, or the refund of a cancelled
 * paid order.
 */
record Payment(UUID id, UUID orderId, Kind kind, long amountMinor, String currency, Method method, String reference,
		Instant createdAt) {

	enum Kind {

		CAPTURE, REFUND

	}

	enum Method {

		BANK_TRANSFER, CARD, WALLET

	}

}
