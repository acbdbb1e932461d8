package com.aqad.marketplace.identity;

import java.util.function.Function;

import org.springframework.security.authentication.ReactiveAuthenticationManagerResolver;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;

/**
 * How the security chain's resource server reads and verifies bearer tokens, and answers
 * a token it refuses: the same objects serve the chain and {@link SecurityChainFilter}'s
 * shortcut for bearer tokens on routes open to everyone.
 *
 * @param converter reads the token from the {@code Authorization} header
 * @param managers the verifier for the token's issuer
 * @param entryPoint answers a refused token (401)
 * @param remembered the authentication of a token that needs no question to anyone (one
 * verified before, unexpired, its session known live), or {@code null}: what the managers
 * would answer for it, at once
 */
record BearerAuthentication(ServerAuthenticationConverter converter,
		ReactiveAuthenticationManagerResolver<ServerWebExchange> managers, ServerAuthenticationEntryPoint entryPoint,
		Function<String, ? extends Authentication> remembered) {

	/** nothing remembered: every token asks the managers */
	BearerAuthentication(ServerAuthenticationConverter converter,
			ReactiveAuthenticationManagerResolver<ServerWebExchange> managers,
			ServerAuthenticationEntryPoint entryPoint) {
		this(converter, managers, entryPoint, (token) -> null);
	}

}
