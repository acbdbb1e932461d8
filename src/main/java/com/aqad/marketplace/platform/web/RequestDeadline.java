package com.aqad.marketplace.platform.web;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
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
		return chain.filter(exchange)
			.timeout(timer(exchange, response),
					Mono.defer(() -> response.isCommitted() ? Mono.empty() : Mono.error(this::unavailable)));
	}

	/**
	 * A timer kept by the event loop of the request's own connection (see
	 * {@link LoopDeadlines}), or on Reactor's parallel scheduler when the server is not
	 * Reactor Netty or the request is not on its loop. Either way it does not fire once
	 * the answer has started.
	 */
	private Mono<Long> timer(ServerWebExchange exchange, ServerHttpResponse response) {
		if (ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest()) instanceof Connection connection
				&& connection.channel().eventLoop().inEventLoop()) {
			return new Deadline(LoopDeadlines.of(connection.channel().eventLoop()),
					System.nanoTime() + this.deadline.toNanos(), response);
		}
		return Mono.delay(this.deadline).filter((tick) -> !response.isCommitted()).switchIfEmpty(Mono.never());
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

	/**
	 * The deadlines of the requests of one event loop, in the order they started: all are
	 * as long, so that is the order they fall due in. Every 100 ms while any is pending
	 * the loop takes answered ones off the front and fires those due.
	 * <p>
	 * A Netty timer per request (a task in the loop's priority queue, removed when the
	 * request answered) and the operators around it cost ~3 % of a cached read's CPU in
	 * the hot-path profile; here a request adds one entry to a queue and marks it when
	 * answered. Only the loop's own thread touches the queue. A deadline fires up to 100
	 * ms late.
	 */
	static final class LoopDeadlines implements Runnable {

		static final long CHECK_MILLIS = 100;

		private final EventExecutor loop;

		private final ArrayDeque<Deadline> pending = new ArrayDeque<>();

		private boolean checking;

		/** each event loop's deadlines, found by its thread */
		private static final FastThreadLocal<LoopDeadlines> LOOPS = new FastThreadLocal<>();

		LoopDeadlines(EventExecutor loop) {
			this.loop = loop;
		}

		/**
		 * The deadlines of the given loop, asked on its own thread.
		 */
		static LoopDeadlines of(EventExecutor loop) {
			LoopDeadlines deadlines = LOOPS.getIfExists();
			if (deadlines == null || deadlines.loop != loop) {
				deadlines = new LoopDeadlines(loop);
				LOOPS.set(deadlines);
			}
			return deadlines;
		}

		void add(Deadline deadline) {
			if (!this.loop.inEventLoop()) {
				this.loop.execute(() -> add(deadline));
				return;
			}
			this.pending.addLast(deadline);
			if (!this.checking) {
				checkLater();
			}
		}

		private void checkLater() {
			try {
				this.loop.schedule(this, CHECK_MILLIS, TimeUnit.MILLISECONDS);
				this.checking = true;
			}
			catch (RejectedExecutionException shuttingDown) {
				// the server is stopping: its connections and their requests go with it
				this.checking = false;
			}
		}

		@Override
		public void run() {
			long now = System.nanoTime();
			Deadline first;
			while ((first = this.pending.peekFirst()) != null && (first.answered() || now - first.due >= 0)) {
				this.pending.pollFirst();
				first.expire();
			}
			this.checking = false;
			if (!this.pending.isEmpty()) {
				checkLater();
			}
		}

		int pending() {
			return this.pending.size();
		}

	}

	/**
	 * One request's deadline: a timer that emits once when it is due and the answer has
	 * not started, never otherwise; cancelled (the request answered) it lets go of the
	 * request at once.
	 */
	static final class Deadline extends Mono<Long> implements Subscription, Scannable {

		private final LoopDeadlines loop;

		final long due;

		private volatile @Nullable CoreSubscriber<? super Long> target;

		private volatile @Nullable ServerHttpResponse response;

		Deadline(LoopDeadlines loop, long due, ServerHttpResponse response) {
			this.loop = loop;
			this.due = due;
			this.response = response;
		}

		@Override
		public void subscribe(CoreSubscriber<? super Long> actual) {
			this.target = actual;
			actual.onSubscribe(this);
			this.loop.add(this);
		}

		boolean answered() {
			return this.target == null;
		}

		void expire() {
			CoreSubscriber<? super Long> actual = this.target;
			ServerHttpResponse answer = this.response;
			cancel();
			if (actual != null && answer != null && !answer.isCommitted()) {
				actual.onNext(0L);
				actual.onComplete();
			}
		}

		@Override
		public void request(long n) {
		}

		@Override
		public void cancel() {
			this.target = null;
			this.response = null;
		}

		@Override
		public @Nullable Object scanUnsafe(Attr key) {
			if (key == Attr.RUN_STYLE) {
				return Attr.RunStyle.ASYNC;
			}
			return ContextAnchor.isInternalProducer(key) ? Boolean.TRUE : null;
		}

	}

}
