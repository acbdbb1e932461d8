package com.aqad.marketplace.catalog;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * The position after the last item of a page: the sort it belongs to, that item's sort
 * key and its id. Opaque to clients (base64url); decoding accepts only what encoding
 * produces.
 *
 * @param sort the order the cursor was made for
 * @param key the sort key of the last item: epoch microseconds, a price or a rank's float
 * bits
 * @param id the id of the last item, the tie-breaker
 */
record ProductCursor(ProductSort sort, long key, UUID id) {

	private static final int MAX_LENGTH = 200;

	static ProductCursor after(ProductSort sort, Product last, float rank) {
		long key = switch (sort) {
			case NEWEST -> micros(last.createdAt());
			case PRICE_ASC, PRICE_DESC -> last.priceMinor();
			case RELEVANCE -> Float.floatToIntBits(rank);
		};
		return new ProductCursor(sort, key, last.id());
	}

	String encode() {
		String plain = this.sort.parameter() + "~" + this.key + "~" + this.id;
		return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
	}

	static Optional<ProductCursor> decode(String encoded) {
		if (encoded.isEmpty() || encoded.length() > MAX_LENGTH) {
			return Optional.empty();
		}
		try {
			String plain = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.US_ASCII);
			String[] parts = plain.split("~", -1);
			if (parts.length != 3) {
				return Optional.empty();
			}
			UUID id = UUID.fromString(parts[2]);
			long key = Long.parseLong(parts[1]);
			return ProductSort.fromParameter(parts[0])
				.map((sort) -> new ProductCursor(sort, key, id))
				.filter((cursor) -> cursor.encode().equals(encoded));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	Instant createdAt() {
		return Instant.ofEpochSecond(Math.floorDiv(this.key, 1_000_000L), Math.floorMod(this.key, 1_000_000L) * 1_000L);
	}

	float rank() {
		return Float.intBitsToFloat((int) this.key);
	}

	static long micros(Instant instant) {
		return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000L);
	}

}
