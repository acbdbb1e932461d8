package com.aqad.marketplace.identity;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * An API key as presented, before it is checked.
 */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

	private final String key;

	private ApiKeyAuthentication(String key) {
		super(List.of());
		this.key = key;
	}

	static ApiKeyAuthentication presented(String key) {
		return new ApiKeyAuthentication(key);
	}

	@Override
	public Object getCredentials() {
		return this.key;
	}

	@Override
	public Object getPrincipal() {
		return "api-key";
	}

	@Override
	public String toString() {
		return "ApiKeyAuthentication[presented]";
	}

}
