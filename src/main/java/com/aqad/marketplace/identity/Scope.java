package com.aqad.marketplace.identity;

import java.util.Optional;

/**
 * What an API key may be used for. A session (bearer token) may do everything its role
 * allows; a key only what its scopes name.
 */
public enum Scope {

	CATALOG_READ("catalog:read"), FEED_READ("feed:read"), ORDERS_READ("orders:read"), ORDERS_WRITE("orders:write");

	private final String value;

	Scope(String value) {
		this.value = value;
	}

	public String value() {
		return this.value;
	}

	public static Optional<Scope> of(String value) {
		for (Scope scope : values()) {
			if (scope.value.equals(value)) {
				return Optional.of(scope);
			}
		}
		return Optional.empty();
	}

}
