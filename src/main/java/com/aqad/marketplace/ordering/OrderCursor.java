package com.aqad.marketplace.ordering;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * The position after the last order of a page (newest first): its creation time in epoch
 * microseconds and its id. Opaque to clients (base64url); decoding accepts only what
 * encoding produces.
 */
record OrderCursor(long micros, UUID id) {

	static OrderCursor after(Order last) {
		Instant at = last.createdAt();
		return new OrderCursor(Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000),
				last.id());
	}

	String encode() {
		String plain = "o~" + this.micros + "~" + this.id;
		return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
	}

	static Optional<OrderCursor> decode(String encoded) {
		if (encoded.isEmpty() || encoded.length() > 200) {
			return Optional.empty();
		}
		try {
			String[] parts = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.US_ASCII).split("~",
					-1);
			if (parts.length != 3 || !parts[0].equals("o")) {
				return Optional.empty();
			}
			OrderCursor cursor = new OrderCursor(Long.parseLong(parts[1]), UUID.fromString(parts[2]));
			return cursor.encode().equals(encoded) ? Optional.of(cursor) : Optional.empty();
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	Instant createdAt() {
		return Instant.ofEpochSecond(Math.floorDiv(this.micros, 1_000_000L),
				Math.floorMod(this.micros, 1_000_000L) * 1_000L);
	}

}
