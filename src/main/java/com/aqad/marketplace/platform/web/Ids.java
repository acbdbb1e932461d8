package com.aqad.marketplace.platform.web;

import java.util.Optional;
import java.util.UUID;

/**
 * Ids as clients send them: the canonical UUID text (any case) and nothing else, so that
 * one id has one spelling ({@code UUID.fromString} alone accepts {@code 1-1-1-1-1}).
 */
public final class Ids {

	private Ids() {
	}

	public static Optional<UUID> parse(String value) {
		if (value == null || value.length() != 36) {
			return Optional.empty();
		}
		try {
			UUID id = UUID.fromString(value);
			return id.toString().equalsIgnoreCase(value) ? Optional.of(id) : Optional.empty();
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

}
