package com.aqad.marketplace.identity;

import org.springframework.security.authentication.ReactiveAuthenticationManagerResolver;
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
 */
record BearerAuthentication(ServerAuthenticationConverter converter,
		ReactiveAuthenticationManagerResolver<ServerWebExchange> managers, ServerAuthenticationEntryPoint entryPoint) {
}
