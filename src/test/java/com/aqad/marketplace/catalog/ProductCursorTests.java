package com.aqad.marketplace.catalog;

import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProductCursorTests {

	private static final UUID ID = UUID.fromString("0b1f6c1e-9d5a-4a57-8d53-5f7b2a1c3e4f");

	@Test
	void aCursorDecodesToWhatWasEncoded() {
		for (ProductCursor cursor : new ProductCursor[] {
				new ProductCursor(ProductSort.NEWEST, 1_764_000_000_123_456L, ID),
				new ProductCursor(ProductSort.PRICE_ASC, 12_050, ID), new ProductCursor(ProductSort.PRICE_DESC, 1, ID),
				new ProductCursor(ProductSort.RELEVANCE, Float.floatToIntBits(0.0607927f), ID) }) {
			assertThat(ProductCursor.decode(cursor.encode())).contains(cursor);
		}
	}

	@Test
	void newestCursorsKeepMicrosecondPrecision() {
		Instant createdAt = Instant.parse("2026-11-25T20:11:33.582446Z");
		ProductCursor cursor = new ProductCursor(ProductSort.NEWEST, ProductCursor.micros(createdAt), ID);
		assertThat(cursor.createdAt()).isEqualTo(createdAt);
	}

	@Test
	void relevanceCursorsKeepTheExactRank() {
		float rank = 0.0759909f;
		ProductCursor cursor = new ProductCursor(ProductSort.RELEVANCE, Float.floatToIntBits(rank), ID);
		assertThat(ProductCursor.decode(cursor.encode()).orElseThrow().rank()).isEqualTo(rank);
	}

	@Test
	void tamperedOrForeignCursorsAreRejected() {
		String valid = new ProductCursor(ProductSort.PRICE_ASC, 100, ID).encode();
		assertThat(ProductCursor.decode(valid + "A")).isEmpty();
		assertThat(ProductCursor.decode("not a cursor")).isEmpty();
		assertThat(ProductCursor.decode("")).isEmpty();
		assertThat(ProductCursor.decode(encode("price_asc~0100~" + ID))).isEmpty();
		assertThat(ProductCursor.decode(encode("price_asc~1e3~" + ID))).isEmpty();
		assertThat(ProductCursor.decode(encode("cheapest~100~" + ID))).isEmpty();
		assertThat(ProductCursor.decode(encode("price_asc~100~not-a-uuid"))).isEmpty();
		assertThat(ProductCursor.decode(encode("price_asc~100~" + ID + "~extra"))).isEmpty();
		assertThat(ProductCursor.decode("x".repeat(500))).isEmpty();
	}

	private static String encode(String plain) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes());
	}

}
