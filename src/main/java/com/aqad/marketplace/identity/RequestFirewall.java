package com.aqad.marketplace.identity;

import java.util.stream.Stream;

import reactor.core.publisher.Mono;

import org.springframework.http.server.reactive.ServerHttpRequest;
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
 * name, checked on every read). A request with a plain path (nearly all) skips the URL
 * blocklists, none of whose entries such a path can hold ({@link #plain}).
 */
final class RequestFirewall implements ServerWebExchangeFirewall {

	private final StrictServerWebExchangeFirewall strict = configured(new StrictServerWebExchangeFirewall());

	/**
	 * The same firewall with empty URL blocklists, for requests whose path is plain (see
	 * {@link #plain}); {@code null} when some entry of the blocklists could be in a plain
	 * path (then every request meets the blocklists).
	 */
	private final StrictServerWebExchangeFirewall plainPaths;

	RequestFirewall() {
		if (Stream.concat(this.strict.getEncodedUrlBlocklist().stream(), this.strict.getDecodedUrlBlocklist().stream())
			.noneMatch(RequestFirewall::plain)) {
			StrictServerWebExchangeFirewall lenient = configured(new StrictServerWebExchangeFirewall());
			lenient.getEncodedUrlBlocklist().clear();
			lenient.getDecodedUrlBlocklist().clear();
			this.plainPaths = lenient;
		}
		else {
			this.plainPaths = null;
		}
	}

	private static StrictServerWebExchangeFirewall configured(StrictServerWebExchangeFirewall firewall) {
		firewall.setAllowedHeaderNames(RequestFirewall::allowedHeaderName);
		firewall.setAllowedHeaderValues(RequestFirewall::allowedHeaderValue);
		return firewall;
	}

	/**
	 * Whether requests with plain paths skip the URL blocklists, none of whose entries
	 * such a path can contain.
	 */
	boolean skipsBlocklistsForPlainPaths() {
		return this.plainPaths != null;
	}

	/**
	 * Whether a path (or any string) is plain: only letters, digits and the path
	 * characters {@code -._~!$&'()*+,=:@/} of RFC 3986 (no {@code %}, no {@code ;}, no
	 * backslash, nothing beyond printable ASCII), and no {@code //}. A blocklist entry
	 * that is not plain cannot be part of a plain path (a part of a plain string is
	 * plain), so a request whose encoded and decoded paths are plain passes the strict
	 * firewall's URL blocklists without their sixty-odd searches (3 % of a cached read).
	 * Every other check of the strict firewall still runs.
	 */
	static boolean plain(String path) {
		if (path == null) {
			return true;
		}
		char previous = 0;
		for (int i = 0; i < path.length(); i++) {
			char c = path.charAt(i);
			if (c >= 0x80 || !PLAIN[c] || (c == '/' && previous == '/')) {
				return false;
			}
			previous = c;
		}
		return true;
	}

	/**
	 * Whether the paths the URL blocklists are held against are all plain: the request
	 * path, and the URI's raw and decoded paths. A plain raw path has no {@code %}, so
	 * the URI decodes it to itself; the request path is usually the very same string.
	 */
	private static boolean plainPaths(ServerHttpRequest request) {
		String raw = request.getURI().getRawPath();
		String path = request.getPath().value();
		return plain(raw) && (path.equals(raw) || plain(path));
	}

	private static final boolean[] PLAIN = new boolean[128];

	static {
		for (char c = 0; c < 128; c++) {
			PLAIN[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
					|| "-._~!$&'()*+,=:@/".indexOf(c) >= 0;
		}
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
		StrictServerWebExchangeFirewall firewall = (this.plainPaths != null && plainPaths(exchange.getRequest()))
				? this.plainPaths : this.strict;
		return firewall.getFirewalledExchange(inspected)
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
