package com.aqad.marketplace.platform.web;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Refuses a declared body above {@code aqad.web.max-body-size} before reading a byte of
 * it. Chunked bodies are capped by the codecs' {@code max-in-memory-size}, which fails
 * with the same 413 once the limit is crossed.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class BodySizeLimit implements WebFilter {

	private final long maxBytes;

	BodySizeLimit(WebProperties properties) {
		this.maxBytes = properties.maxBodySize().toBytes();
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (exchange.getRequest().getHeaders().getContentLength() > this.maxBytes) {
			return Mono.error(ProblemDetailsHandler.payloadTooLarge());
		}
		return chain.filter(exchange);
	}

	/**
	 * The name of this filter's checkpoint on every request (Object's would build a
	 * string with an identity hash each time).
	 */
	@Override
	public String toString() {
		return "BodySizeLimit";
	}

}
