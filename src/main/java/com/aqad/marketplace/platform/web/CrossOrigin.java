package com.aqad.marketplace.platform.web;

import io.netty.util.AsciiString;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.CorsProcessor;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.cors.reactive.DefaultCorsProcessor;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * CORS by {@code aqad.cors.*} (Spring's {@link DefaultCorsProcessor}), before anything
 * else looks at the request: a preflight is answered here, and a request from an origin
 * that is not allowed gets a 403 problem ({@code cors_refused}) instead of Spring's empty
 * 403.
 */
@Component
class CrossOrigin implements WebFilter, Ordered {

	private static final AsciiString VARY_NAME = AsciiString.cached(HttpHeaders.VARY);

	/** what {@link DefaultCorsProcessor} adds to every answer, in its order */
	private static final AsciiString[] VARY = { AsciiString.cached(HttpHeaders.ORIGIN),
			AsciiString.cached(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD),
			AsciiString.cached(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS) };

	private final CorsConfigurationSource source;

	private final CorsProcessor processor = new DefaultCorsProcessor();

	CrossOrigin(CorsProperties properties) {
		this.source = properties.source();
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		// every answer, CORS or not, gets Vary: Origin (from the processor): anonymous
		// reads are cached by shared caches, which must not hand one origin's answer to
		// another
		if (!exchange.getRequest().getHeaders().containsHeader(HttpHeaders.ORIGIN)) {
			// not a CORS request: the processor would only add these, as strings
			for (AsciiString vary : VARY) {
				WireHeaders.add(exchange.getResponse(), VARY_NAME, vary);
			}
			return chain.filter(exchange);
		}
		if (!this.processor.process(this.source.getCorsConfiguration(exchange), exchange)) {
			return Mono.error(new ApiException(HttpStatus.FORBIDDEN, "cors_refused",
					"This origin may not call the API from a browser."));
		}
		return CorsUtils.isPreFlightRequest(exchange.getRequest()) ? Mono.empty() : chain.filter(exchange);
	}

	@Override
	public int getOrder() {
		// after the request id, security headers, HEAD and the deadline; before the
		// limits
		return SecurityHeaders.ORDER + 5;
	}

	/**
	 * The name of this filter's checkpoint on every request (Object's would build a
	 * string with an identity hash each time).
	 */
	@Override
	public String toString() {
		return "CrossOrigin";
	}

}
