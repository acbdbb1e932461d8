package com.aqad.marketplace.platform.web;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import reactor.core.publisher.Mono;
import reactor.netty.Connection;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Every request starts answering within {@code aqad.web.deadline}, or gets 503
 * {@code service_unavailable} with {@code Retry-After}: a hung PostgreSQL or Redis (a
 * stuck server, a network partition, no error ever coming back) then costs a client
 * seconds, not the length of the outage, and the request's work is cancelled. The
 * deadline ends when the answer starts, so streams (feeds, exports, event streams) run as
 * long as they need once their first bytes are out.
 */
@Component
class RequestDeadline implements WebFilter, Ordered {

	private final Duration deadline;

	RequestDeadline(WebProperties properties) {
		this.deadline = properties.deadline();
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpResponse response = exchange.getResponse();
		Mono<Long> expired = timer(exchange).filter((tick) -> !response.isCommitted()).switchIfEmpty(Mono.never());
		return chain.filter(exchange)
			.timeout(expired, Mono.defer(() -> response.isCommitted() ? Mono.empty() : Mono.error(this::unavailable)));
	}

	/**
	 * A timer on the event loop of the request's own connection (a task in that loop's
	 * queue, cancelled with the request: no shared scheduler touched per request), or on
	 * Reactor's parallel scheduler when the server is not Reactor Netty.
	 */
	private Mono<Long> timer(ServerWebExchange exchange) {
		if (ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest()) instanceof Connection connection) {
			EventLoop loop = connection.channel().eventLoop();
			long millis = this.deadline.toMillis();
			// anchored: Reactor's restoring wrapper of Mono.create asks for the context
			return ContextAnchor.anchored(Mono.create((sink) -> {
				ScheduledFuture<?> task = loop.schedule(() -> sink.success(0L), millis, TimeUnit.MILLISECONDS);
				sink.onCancel(() -> task.cancel(false));
			}));
		}
		return Mono.delay(this.deadline);
	}

	private ApiException unavailable() {
		return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "service_unavailable",
				"The service could not answer this request in time; try again shortly.")
			.withHeader(HttpHeaders.RETRY_AFTER, "1");
	}

	@Override
	public int getOrder() {
		// inside the request id and security headers, around everything else
		return SecurityHeaders.ORDER + 2;
	}

	/**
	 * The name of this filter's checkpoint on every request (Object's would build a
	 * string with an identity hash each time).
	 */
	@Override
	public String toString() {
		return "RequestDeadline";
	}

}
