package com.aqad.marketplace.platform.web;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Every {@code GET} route answers {@code HEAD}: the request goes on as a {@code GET}
 * (same access rules, limits and headers) and the server sends the head of the answer
 * without its body (Reactor Netty leaves out the body of an answer to a HEAD request,
 * keeping its {@code Content-Length}).
 */
@Component
class HeadRequests implements WebFilter, Ordered {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!HttpMethod.HEAD.equals(exchange.getRequest().getMethod())) {
			return chain.filter(exchange);
		}
		return chain.filter(exchange.mutate().request((request) -> request.method(HttpMethod.GET)).build());
	}

	@Override
	public int getOrder() {
		// after the request id and security headers, before limits and security
		return SecurityHeaders.ORDER + 1;
	}

	/**
	 * The name of this filter's checkpoint on every request (Object's would build a
	 * string with an identity hash each time).
	 */
	@Override
	public String toString() {
		return "HeadRequests";
	}

}
