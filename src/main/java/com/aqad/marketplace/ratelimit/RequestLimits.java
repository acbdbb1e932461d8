package com.aqad.marketplace.ratelimit;

import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import io.micrometer.context.ContextSnapshot;
import io.netty.util.concurrent.EventExecutor;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

import com.aqad.marketplace.platform.web.ApiException;
import com.aqad.marketplace.platform.web.ConnectionLoop;
import com.aqad.marketplace.platform.web.ContextAnchor;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;

/**
 * Lets a request through when its buckets have the tokens, with the rate-limit headers,
 * or refuses it with 429 {@code rate_limited}, raised for the problem-details handler.
 * Tokens of a response whose status the policy declares free (a 304) are given back.
 * <p>
 * Every limited request waits here for Redis, so this step is one small publisher
 * ({@link Gate}) rather than a chain of operators: it is told the verdict on the
 * request's event loop, writes the headers, and either fails or subscribes to the rest of
 * the chain, with the request id's thread local set as Reactor would. Measured in the
 * hot-path benchmark (see {@code src/docs/benchmarks.md}): the chain it replaces (a
 * create, an anchor, a fallback, a peek, two flat maps and a hop back to the loop) was
 * most of the limiter's cost on the server after the Redis call itself.
 */
final class RequestLimits {

	private final Limits limits;

	RequestLimits(Limits limits) {
		this.limits = limits;
	}

	Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain, List<Charge> charges) {
		if (charges.isEmpty()) {
			return chain.filter(exchange);
		}
		return new Limited(this.limits, exchange, chain, charges);
	}

	private static void giveBackIfFree(Limits limits, ServerWebExchange exchange, Verdict verdict) {
		HttpStatusCode status = exchange.getResponse().getStatusCode();
		if (status == null || verdict.local() || !freesAny(verdict, status.value())) {
			return;
		}
		List<Charge> free = verdict.granted()
			.stream()
			.filter((charge) -> charge.policy().isFree(status.value()))
			.toList();
		if (!free.isEmpty()) {
			limits.giveBack(free);
		}
	}

	/**
	 * whether a policy asked declares the status free (checked before any list is made)
	 */
	private static boolean freesAny(Verdict verdict, int status) {
		for (Take take : verdict.takes()) {
			if (take.charge().policy().isFree(status)) {
				return true;
			}
		}
		return false;
	}

	private static ApiException refused(Take refusal, long retryAfterSeconds) {
		return new ApiException(HttpStatus.TOO_MANY_REQUESTS, "rate_limited",
				"Too many requests under rate limit policy '%s' (bucket %s); retry in %d s."
					.formatted(refusal.charge().policy().name(), refusal.bucket().name(), retryAfterSeconds))
			.withHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
	}

	/**
	 * The request's take, then the rest of its chain.
	 */
	private static final class Limited extends Mono<Void> implements Scannable {

		private final Limits limits;

		private final ServerWebExchange exchange;

		private final WebFilterChain chain;

		private final List<Charge> charges;

		Limited(Limits limits, ServerWebExchange exchange, WebFilterChain chain, List<Charge> charges) {
			this.limits = limits;
			this.exchange = exchange;
			this.chain = chain;
			this.charges = charges;
		}

		@Override
		public void subscribe(CoreSubscriber<? super Void> actual) {
			EventExecutor loop = ConnectionLoop.of(this.exchange);
			Gate gate = new Gate(this.limits, this.exchange, this.chain, actual, loop);
			actual.onSubscribe(gate);
			this.limits.take(this.charges, loop, gate);
		}

		/**
		 * It restores the request id's thread local itself when the verdict comes, so
		 * Reactor need not wrap it in a subscriber that would do so on every signal.
		 */
		@Override
		public @Nullable Object scanUnsafe(Attr key) {
			if (key == Attr.RUN_STYLE) {
				return Attr.RunStyle.SYNC;
			}
			return ContextAnchor.isInternalProducer(key) ? Boolean.TRUE : null;
		}

	}

	/**
	 * Waits for the verdict, then refuses or runs the rest of the chain: the subscription
	 * of its subscriber and the subscriber of the chain's rest.
	 */
	private static final class Gate implements Waiter, CoreSubscriber<Void>, Subscription, Scannable {

		private static final AtomicReferenceFieldUpdater<Gate, Subscription> REST = AtomicReferenceFieldUpdater
			.newUpdater(Gate.class, Subscription.class, "rest");

		private final Limits limits;

		private final ServerWebExchange exchange;

		private final WebFilterChain chain;

		private final CoreSubscriber<? super Void> actual;

		/** taken once: it never changes, and asking the subscriber walks the filters */
		private final Context context;

		private final @Nullable EventExecutor loop;

		/**
		 * the rest of the chain's subscription, once subscribed (cancelled: terminated)
		 */
		private volatile @Nullable Subscription rest;

		private volatile boolean cancelled;

		private @Nullable Verdict verdict;

		Gate(Limits limits, ServerWebExchange exchange, WebFilterChain chain, CoreSubscriber<? super Void> actual,
				@Nullable EventExecutor loop) {
			this.limits = limits;
			this.exchange = exchange;
			this.chain = chain;
			this.actual = actual;
			this.context = actual.currentContext();
			this.loop = loop;
		}

		// the verdict, on the request's event loop

		@Override
		public void verdict(Verdict verdict) {
			onLoop(() -> pass(verdict));
		}

		@Override
		public void failed(Throwable failure) {
			onLoop(() -> fail(failure));
		}

		@Override
		public boolean gone() {
			return this.cancelled;
		}

		/**
		 * Runs the step on the request's event loop: here when already on it (as Redis's
		 * answers are), else handed to it (a fallback decided elsewhere).
		 */
		private void onLoop(Runnable step) {
			EventExecutor loop = this.loop;
			if (loop != null && !loop.inEventLoop()) {
				try {
					loop.execute(step);
					return;
				}
				catch (RejectedExecutionException shuttingDown) {
					// answered here rather than never
				}
			}
			step.run();
		}

		private void pass(Verdict verdict) {
			if (this.cancelled) {
				return;
			}
			try (ContextSnapshot.Scope scope = ContextAnchor.restoreThreadLocals(this.context)) {
				Mono<Void> rest;
				try {
					this.limits.record(verdict);
					RateLimitHeaders.write(this.exchange.getResponse(), verdict);
					Take refusal = verdict.refusal().orElse(null);
					if (refusal != null) {
						this.actual.onError(refused(refusal, verdict.retryAfterSeconds()));
						return;
					}
					this.verdict = verdict;
					rest = this.chain.filter(this.exchange);
				}
				catch (Throwable failure) {
					this.actual.onError(Operators.onOperatorError(failure, this.context));
					return;
				}
				rest.subscribe(this);
			}
		}

		private void fail(Throwable failure) {
			if (this.cancelled) {
				return;
			}
			try (ContextSnapshot.Scope scope = ContextAnchor.restoreThreadLocals(this.context)) {
				this.actual.onError(failure);
			}
		}

		// the rest of the chain

		@Override
		public void onSubscribe(Subscription subscription) {
			if (Operators.setOnce(REST, this, subscription)) {
				subscription.request(Long.MAX_VALUE);
			}
		}

		@Override
		public void onNext(Void value) {
			// nothing comes
		}

		@Override
		public void onError(Throwable failure) {
			this.actual.onError(failure);
		}

		@Override
		public void onComplete() {
			Verdict verdict = this.verdict;
			if (verdict != null) {
				giveBackIfFree(this.limits, this.exchange, verdict);
			}
			this.actual.onComplete();
		}

		@Override
		public Context currentContext() {
			return this.context;
		}

		// its subscriber's subscription

		@Override
		public void request(long n) {
			// nothing to emit; the rest of the chain is asked for all at once
		}

		@Override
		public void cancel() {
			this.cancelled = true;
			Operators.terminate(REST, this);
		}

		@Override
		public @Nullable Object scanUnsafe(Attr key) {
			if (key == Attr.ACTUAL) {
				return this.actual;
			}
			if (key == Attr.PARENT) {
				return this.rest;
			}
			if (key == Attr.CANCELLED) {
				return this.cancelled;
			}
			if (key == Attr.RUN_STYLE) {
				return Attr.RunStyle.SYNC;
			}
			return null;
		}

	}

}
