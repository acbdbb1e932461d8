package com.aqad.marketplace.platform.web;

import java.net.InetSocketAddress;
import java.util.List;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.beans.factory.annotation.Value;
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
 * {@code Strict-Transport-Security} when the request came over HTTPS (directly, or
 * through a TLS-terminating proxy among the trusted ones that says so in
 * {@code X-Forwarded-Proto} or {@code Forwarded}), and {@code Cache-Control:
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

	private static final String X_FORWARDED_PROTO = "X-Forwarded-Proto";

	private final AsciiString[] fixed;

	/** the API's; a page that needs another (Swagger UI) sets its own */
	private final AsciiString contentSecurityPolicy;

	private final List<Cidr> trustedProxies;

	SecurityHeaders(WebProperties properties,
			@Value("${aqad.ratelimit.trusted-proxies:}") List<String> trustedProxies) {
		this.trustedProxies = trustedProxies.stream()
			.map(String::strip)
			.filter((cidr) -> !cidr.isEmpty())
			.map(Cidr::parse)
			.toList();
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

	/**
	 * The headers of an answer made below Spring (a request Netty could not decode): the
	 * fixed ones, the API's CSP and {@code no-store}.
	 */
	void writeOn(HttpHeaders headers) {
		for (int i = 0; i < this.fixed.length; i += 2) {
			headers.set(this.fixed[i], this.fixed[i + 1]);
		}
		headers.set(CSP, this.contentSecurityPolicy);
		headers.set(CACHE_CONTROL, NO_STORE);
	}

	private void write(ServerHttpRequest request, ServerHttpResponse response) {
		// Reactor Netty makes the scheme https exactly when the connection has TLS (its
		// SslHandler, looked up once per connection): Spring's SslInfo would look it up
		// again in the pipeline on every request (1.2 % of a cached read)
		boolean secure = "https".equalsIgnoreCase(request.getURI().getScheme()) || forwardedOverHttps(request);
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
		// another server may not say TLS by the scheme
		secure = secure || request.getSslInfo() != null;
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

	/**
	 * Whether a trusted proxy (the TLS-terminating one:
	 * {@code aqad.ratelimit.trusted-proxies}) says the client's request came over HTTPS.
	 * Anyone else's say is ignored.
	 */
	private boolean forwardedOverHttps(ServerHttpRequest request) {
		if (this.trustedProxies.isEmpty()) {
			return false;
		}
		String proto = request.getHeaders().getFirst(X_FORWARDED_PROTO);
		if (proto == null) {
			String forwarded = request.getHeaders().getFirst("Forwarded");
			proto = (forwarded != null && forwarded.toLowerCase(java.util.Locale.ROOT).contains("proto=https"))
					? "https" : null;
		}
		if (!"https".equalsIgnoreCase(proto)) {
			return false;
		}
		InetSocketAddress peer = request.getRemoteAddress();
		if (peer == null || peer.getAddress() == null) {
			return false;
		}
		byte[] address = Cidr.unmapped(peer.getAddress().getAddress());
		for (Cidr proxy : this.trustedProxies) {
			if (proxy.contains(address)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	/**
	 * The name of this filter's checkpoint on every request (Object's would build a
	 * string with an identity hash each time).
	 */
	@Override
	public String toString() {
		return "SecurityHeaders";
	}

}
