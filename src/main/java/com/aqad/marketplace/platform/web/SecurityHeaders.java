package com.aqad.marketplace.platform.web;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * The security headers of every response, errors included (whatever raised them: a
 * filter, the security chain, a handler, the codecs): {@code X-Content-Type-Options},
 * {@code X-Frame-Options}, {@code Referrer-Policy}, {@code Content-Security-Policy},
 * {@code Strict-Transport-Security} when the request came over HTTPS (directly or, with
 * forwarded headers trusted, through a TLS-terminating proxy), and {@code Cache-Control:
 * no-store} unless the handler allowed caching (the identity chain makes every
 * authenticated answer {@code no-store} anyway).
 * <p>
 * Spring Security's header writers did the same at ~10 % of a cached read's CPU (a
 * defensive copy of the headers per writer); here the names and values are encoded once
 * and set on Netty's headers directly.
 */
@Component
public class SecurityHeaders implements WebFilter, Ordered {

	/** right after {@link RequestId} */
	static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 1;

	private static final AsciiString CACHE_CONTROL = AsciiString.cached("Cache-Control");

	private static final AsciiString NO_STORE = AsciiString.cached("no-store");

	private static final AsciiString HSTS = AsciiString.cached("Strict-Transport-Security");

	private static final AsciiString HSTS_VALUE = AsciiString.cached("max-age=31536000 ; includeSubDomains");

	private static final AsciiString CSP = AsciiString.cached("Content-Security-Policy");

	private final AsciiString[] fixed;

	/** the API's; a page that needs another (Swagger UI) sets its own */
	private final AsciiString contentSecurityPolicy;

	SecurityHeaders(WebProperties properties) {
		this.fixed = new AsciiString[] { AsciiString.cached("X-Content-Type-Options"), AsciiString.cached("nosniff"),
				AsciiString.cached("X-Frame-Options"), AsciiString.cached("DENY"),
				AsciiString.cached("Referrer-Policy"), AsciiString.cached("no-referrer") };
		this.contentSecurityPolicy = new AsciiString(properties.contentSecurityPolicy());
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpResponse response = exchange.getResponse();
		response.beforeCommit(() -> {
			write(exchange.getRequest(), response);
			return Mono.empty();
		});
		return chain.filter(exchange);
	}

	private void write(ServerHttpRequest request, ServerHttpResponse response) {
		boolean secure = request.getSslInfo() != null || "https".equalsIgnoreCase(request.getURI().getScheme());
		if (ServerHttpResponseDecorator.getNativeResponse(response) instanceof HttpServerResponse netty) {
			HttpHeaders headers = netty.responseHeaders();
			for (int i = 0; i < this.fixed.length; i += 2) {
				headers.set(this.fixed[i], this.fixed[i + 1]);
			}
			if (!headers.contains(CSP)) {
				headers.set(CSP, this.contentSecurityPolicy);
			}
			if (!headers.contains(CACHE_CONTROL)) {
				headers.set(CACHE_CONTROL, NO_STORE);
			}
			if (secure) {
				headers.set(HSTS, HSTS_VALUE);
			}
			return;
		}
		org.springframework.http.HttpHeaders headers = response.getHeaders();
		for (int i = 0; i < this.fixed.length; i += 2) {
			headers.set(this.fixed[i].toString(), this.fixed[i + 1].toString());
		}
		if (!headers.containsHeader(CSP.toString())) {
			headers.set(CSP.toString(), this.contentSecurityPolicy.toString());
		}
		if (!headers.containsHeader(CACHE_CONTROL.toString())) {
			headers.set(CACHE_CONTROL.toString(), NO_STORE.toString());
		}
		if (secure) {
			headers.set(HSTS.toString(), HSTS_VALUE.toString());
		}
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
