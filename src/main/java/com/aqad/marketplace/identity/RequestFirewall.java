package com.aqad.marketplace.identity;

import reactor.core.publisher.Mono;

import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebExchangeDecorator;

/**
 * Spring Security's strict firewall for everything a request brings (its method, its
 * path's encoded and decoded forms, its headers and parameters as they are read), without
 * the strict firewall's second job: going over every response header for a CR or LF when
 * the response commits. Netty refuses such a header value itself when it is set
 * ("Validation failed for header", so response splitting cannot happen); the repeated
 * check cost about 8 % of a cached catalog read's CPU for nothing (see
 * {@code src/docs/benchmarks.md}). Header names and values are held to the strict
 * firewall's own rules (assigned code points, no control characters; tab too in values)
 * by a loop instead of its regular expressions, which cost a bearer request about 5 % of
 * its CPU on an 800-character {@code Authorization} header (the value) and 2 % more (the
 * name, checked on every read).
 */
final class RequestFirewall implements ServerWebExchangeFirewall {

	private final StrictServerWebExchangeFirewall strict = new StrictServerWebExchangeFirewall();

	RequestFirewall() {
		this.strict.setAllowedHeaderNames(RequestFirewall::allowedHeaderName);
		this.strict.setAllowedHeaderValues(RequestFirewall::allowedHeaderValue);
	}

	/**
	 * What {@link StrictServerWebExchangeFirewall#ALLOWED_HEADER_NAMES} allows: every
	 * code point assigned and not a control character. Asked on every read of a header (a
	 * bearer read's {@code Authorization}: its expression was 2 % of the read's CPU).
	 */
	static boolean allowedHeaderName(String name) {
		return assignedAndNotControl(name, false);
	}

	/**
	 * What {@link StrictServerWebExchangeFirewall#ALLOWED_HEADER_VALUES} allows: every
	 * code point assigned and not a control character, except tab.
	 */
	static boolean allowedHeaderValue(String value) {
		return assignedAndNotControl(value, true);
	}

	private static boolean assignedAndNotControl(String value, boolean tab) {
		if (value == null) {
			return true;
		}
		int length = value.length();
		for (int i = 0; i < length; i++) {
			char c = value.charAt(i);
			if (c >= 0x20 && c < 0x7F) {
				// printable ASCII, nearly every character of a request's headers
				continue;
			}
			if (c < 0x80) {
				if (!(tab && c == '\t')) {
					return false;
				}
				continue;
			}
			int codePoint = value.codePointAt(i);
			if (!Character.isDefined(codePoint) || Character.getType(codePoint) == Character.CONTROL) {
				return false;
			}
			i += Character.charCount(codePoint) - 1;
		}
		return true;
	}

	@Override
	public Mono<ServerWebExchange> getFirewalledExchange(ServerWebExchange exchange) {
		Inspected inspected = new Inspected(exchange);
		// the strict firewall does its checks and registers its response hook while
		// subscribed to: only then does the response ignore the hook (one peek operator
		// for both outcomes; doOnEach would build each signal with the request's context,
		// asking for it through every filter above)
		return this.strict.getFirewalledExchange(inspected)
			.doOnSuccess((firewalled) -> inspected.inspecting = false)
			.doOnError((rejected) -> inspected.inspecting = false);
	}

	/**
	 * The exchange as the strict firewall sees it while it inspects the request: a
	 * response that takes no commit hook. Afterwards the exchange as it is.
	 */
	private static final class Inspected extends ServerWebExchangeDecorator {

		private volatile boolean inspecting = true;

		private final ServerHttpResponse hooksIgnored;

		Inspected(ServerWebExchange delegate) {
			super(delegate);
			this.hooksIgnored = new ServerHttpResponseDecorator(delegate.getResponse()) {

				@Override
				public void beforeCommit(java.util.function.Supplier<? extends Mono<Void>> action) {
				}

			};
		}

		@Override
		public ServerHttpResponse getResponse() {
			return this.inspecting ? this.hooksIgnored : getDelegate().getResponse();
		}

	}

}
