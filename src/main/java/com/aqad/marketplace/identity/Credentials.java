package com.aqad.marketplace.identity;

import java.util.stream.Collectors;

import reactor.core.publisher.Mono;

import com.aqad.marketplace.platform.web.ApiException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * What a caller hears when its credentials are missing or refused (401 with
 * {@code WWW-Authenticate: Bearer}) or when it may not call a route (403); the bodies are
 * problem details like every other error, and each refusal of presented credentials is a
 * security event.
 */
@Component
class Credentials implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler {

	static final String API_KEY_HEADER = "X-API-Key";

	private final SecurityEvents events;

	Credentials(SecurityEvents events) {
		this.events = events;
	}

	static boolean presented(ServerWebExchange exchange) {
		HttpHeaders headers = exchange.getRequest().getHeaders();
		return headers.containsHeader(HttpHeaders.AUTHORIZATION) || headers.containsHeader(API_KEY_HEADER);
	}

	@Override
	public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException failure) {
		if (!presented(exchange)) {
			exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
			return Mono.error(new ApiException(HttpStatus.UNAUTHORIZED, "unauthenticated",
					"This request needs a bearer token or an API key."));
		}
		this.events.record("credentials_rejected", "method", exchange.getRequest().getMethod(), "path",
				exchange.getRequest().getPath(), "reason", reason(failure));
		exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
		return Mono.error(new ApiException(HttpStatus.UNAUTHORIZED, "invalid_token",
				"The bearer token or API key is not valid, has expired or was revoked."));
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
		return Caller.current().map(Object::toString).defaultIfEmpty("anonymous").flatMap((caller) -> {
			this.events.record("access_denied", "method", exchange.getRequest().getMethod(), "path",
					exchange.getRequest().getPath(), "caller", caller);
			return Mono.error(new ApiException(HttpStatus.FORBIDDEN, "forbidden",
					"Your role or API key's scopes do not allow this request."));
		});
	}

	/**
	 * The failed check (signature, kid, expiry, iss, aud, session...), never the token.
	 */
	private static String reason(AuthenticationException failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof JwtValidationException invalid) {
				return invalid.getErrors()
					.stream()
					.map((error) -> (error.getDescription() != null) ? error.getDescription() : error.getErrorCode())
					.collect(Collectors.joining("; "));
			}
		}
		Throwable root = failure;
		while (root.getCause() != null) {
			root = root.getCause();
		}
		String message = root.getMessage();
		return (message != null) ? message : root.getClass().getSimpleName();
	}

}
