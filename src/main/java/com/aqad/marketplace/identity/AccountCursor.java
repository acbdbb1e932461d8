package com.aqad.marketplace.identity;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import com.aqad.marketplace.platform.web.ApiException;

/**
 * Where a page of accounts ends: the last account's creation time and id, opaque to
 * clients.
 */
record AccountCursor(Instant createdAt, UUID id) {

	static AccountCursor of(Account account) {
		return new AccountCursor(account.createdAt(), account.id());
	}

	String encode() {
		String plain = this.createdAt.getEpochSecond() + "." + this.createdAt.getNano() + "." + this.id;
		return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
	}

	static AccountCursor parse(String cursor) {
		try {
			if (cursor.length() > 100) {
				throw new IllegalArgumentException();
			}
			String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\.");
			if (parts.length != 3) {
				throw new IllegalArgumentException();
			}
			AccountCursor parsed = new AccountCursor(
					Instant.ofEpochSecond(Long.parseLong(parts[0]), Integer.parseInt(parts[1])),
					UUID.fromString(parts[2]));
			if (!parsed.encode().equals(cursor)) {
				throw new IllegalArgumentException();
			}
			return parsed;
		}
		catch (IllegalArgumentException | java.time.DateTimeException ex) {
			throw ApiException.invalid("cursor", "not a cursor of this list");
		}
	}

}
