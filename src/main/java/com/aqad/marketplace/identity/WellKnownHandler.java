package com.aqad.marketplace.identity;

import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The public keys and the discovery document other services verify our tokens with.
 */
@Component
class WellKnownHandler {

	private final AccessTokens tokens;

	private final IdentityProperties properties;

	WellKnownHandler(AccessTokens tokens, IdentityProperties properties) {
		this.tokens = tokens;
		this.properties = properties;
	}

	Mono<ServerResponse> jwks(ServerRequest request) {
		return ServerResponse.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.cacheControl(CacheControl.maxAge(java.time.Duration.ofMinutes(5)).cachePublic())
			.bodyValue(this.tokens.jwks());
	}

	Mono<ServerResponse> openidConfiguration(ServerRequest request) {
		String issuer = this.properties.issuer();
		return ServerResponse.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.cacheControl(CacheControl.maxAge(java.time.Duration.ofMinutes(5)).cachePublic())
			.bodyValue(Map.of("issuer", issuer, "jwks_uri", issuer + "/.well-known/jwks.json", "token_endpoint",
					issuer + "/api/v1/auth/login", "id_token_signing_alg_values_supported", List.of("RS256"),
					"response_types_supported", List.of("token"), "subject_types_supported", List.of("public")));
	}

}
