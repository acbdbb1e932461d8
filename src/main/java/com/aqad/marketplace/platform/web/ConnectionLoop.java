package com.aqad.marketplace.platform.web;

import java.util.concurrent.Executor;

import io.netty.channel.EventLoop;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;

/**
 * Brings a request's processing back to the event loop of its own connection after a
 * Redis reply. Lettuce delivers every reply on the one I/O thread of its shared
 * connection; whatever a request does next would otherwise run there too, so that all
 * requests waiting on Redis queue behind each other on one core, and the replies for
 * everyone else wait behind them.
 */
public final class ConnectionLoop {

	private ConnectionLoop() {
	}

	/**
	 * The value, delivered on the event loop of the exchange's connection (at once when
	 * already there, or when the server is not Reactor Netty).
	 */
	public static <T> Mono<T> backTo(ServerWebExchange exchange, Mono<T> reply) {
		EventLoop loop = of(exchange);
		if (loop == null) {
			return reply;
		}
		return reply.flatMap((value) -> loop.inEventLoop() ? Mono.just(value) : hop(loop, value));
	}

	/**
	 * The event loop of the exchange's connection, or {@code null} when the server is not
	 * Reactor Netty. A source that answers many requests at once (the rate limiter's
	 * batched script calls) can hand each loop its answers in one task instead of one per
	 * request.
	 */
	public static EventLoop of(ServerWebExchange exchange) {
		Object request = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
		return (request instanceof Connection connection) ? connection.channel().eventLoop() : null;
	}

	private static <T> Mono<T> hop(Executor loop, T value) {
		// anchored: Reactor's restoring wrapper of Mono.create asks for the context on
		// each signal (see ContextAnchor)
		return ContextAnchor.anchored(Mono.create((sink) -> loop.execute(() -> sink.success(value))));
	}

}
