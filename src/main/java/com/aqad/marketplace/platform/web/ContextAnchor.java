package com.aqad.marketplace.platform.web;

import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * The innermost filter: it holds the request's Reactor {@code Context} for everything
 * below it, so that asking for it costs one step instead of a walk through every filter.
 * <p>
 * A Reactor subscriber that does not hold a context itself asks the one below it in the
 * chain, and so on to the nearest one that does (a {@code contextWrite}, here the request
 * id's, the outermost filter). The dispatcher and the handler ask many times per request:
 * the dispatcher's handler lookup cancels its stream of handler mappings and looks up a
 * discard hook, every {@code Mono.create}, {@code Flux.concat} and restoring step asks
 * again, and each walk passed every filter's operators. The context of a subscription
 * never changes, so this subscriber takes it once, when subscribed, and answers with it;
 * measured in the hot-path benchmark (see {@code src/docs/benchmarks.md}).
 * <p>
 * It touches no thread-local and moves no signal to another thread: it tells Reactor so
 * (see {@link Anchored#scanUnsafe}), so that Reactor's automatic context propagation does
 * not wrap it in a restoring subscriber of its own, which would walk again on every
 * signal.
 */
@Component
public class ContextAnchor implements WebFilter, Ordered {

	/** after every other filter, right before the dispatcher */
	static final int ORDER = Ordered.LOWEST_PRECEDENCE;

	/**
	 * Reactor's marker for its own producers, which propagate context correctly; the type
	 * is not public, so it is found by name.
	 */
	private static final String INTERNAL_PRODUCER = "reactor.core.publisher.InternalProducerAttr";

	/** the key of {@link #INTERNAL_PRODUCER} once seen */
	private static volatile Scannable.@Nullable Attr<?> internalProducer;

	private static final ContextSnapshotFactory THREAD_LOCALS = ContextSnapshotFactory.builder().build();

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		return new Anchored<>(chain.filter(exchange), null);
	}

	/**
	 * The source, holding its subscriber's context for whatever is below: for a source
	 * deep in a request's chain that asks for its context on several signals (a
	 * {@code Mono.create} answered from another thread is wrapped by Reactor in a
	 * subscriber that restores the request id's thread local on each of them).
	 */
	public static <T> Mono<T> anchored(Mono<T> source) {
		return new Anchored<>(source, null);
	}

	/**
	 * The source with entries added to its subscriber's context, anchored: Reactor's
	 * {@code contextWrite} for entries no thread local carries (the exchange, the
	 * security context). Under automatic propagation {@code contextWrite} restores every
	 * registered thread local around each signal that passes it, in case a written entry
	 * is one of them; the request id is the only one ({@link RequestId}), written once by
	 * the outermost filter, so entries written further in need none of that.
	 * @throws IllegalArgumentException if an entry is the request id's
	 */
	public static <T> Mono<T> anchored(Mono<T> source, ContextView written) {
		if (written.hasKey(RequestId.KEY)) {
			throw new IllegalArgumentException("The request id is written with its thread local (RequestId)");
		}
		return new Anchored<>(source, written);
	}

	/**
	 * Whether the key asks if a producer is one of Reactor's own, which propagate context
	 * correctly: a producer that answers {@code true} is not wrapped by Reactor in a
	 * subscriber that restores thread locals on each signal (which asks for the context
	 * each time). One that moves signals to another thread must then restore them itself
	 * ({@link #restoreThreadLocals}).
	 */
	public static boolean isInternalProducer(Scannable.Attr<?> key) {
		Scannable.Attr<?> known = internalProducer;
		if (known != null) {
			return key == known;
		}
		if (INTERNAL_PRODUCER.equals(key.getClass().getName())) {
			// Reactor's only instance of it: compared by identity from now on
			internalProducer = key;
			return true;
		}
		return false;
	}

	/**
	 * Sets the thread locals carried in the context (the request id's, for log lines) on
	 * this thread until the scope closes, as Reactor does around a signal that crossed
	 * threads.
	 */
	public static ContextSnapshot.Scope restoreThreadLocals(ContextView context) {
		return THREAD_LOCALS.setThreadLocalsFrom(context);
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
		return "ContextAnchor";
	}

	/**
	 * The source's signals, with the subscriber's context taken once.
	 */
	static final class Anchored<T> extends Mono<T> implements Scannable {

		private final Mono<T> source;

		/** entries added to the subscriber's context for the source, if any */
		private final @Nullable ContextView written;

		Anchored(Mono<T> source, @Nullable ContextView written) {
			this.source = source;
			this.written = written;
		}

		@Override
		public void subscribe(CoreSubscriber<? super T> actual) {
			Context context = actual.currentContext();
			ContextView added = this.written;
			this.source.subscribe(new AnchorSubscriber<>(actual, (added != null) ? context.putAll(added) : context));
		}

		@Override
		public @Nullable Object scanUnsafe(Attr key) {
			if (key == Attr.PARENT) {
				return this.source;
			}
			if (key == Attr.RUN_STYLE) {
				return Attr.RunStyle.SYNC;
			}
			if (isInternalProducer(key)) {
				return true;
			}
			return null;
		}

	}

	static final class AnchorSubscriber<T> implements CoreSubscriber<T>, Subscription, Scannable {

		private final CoreSubscriber<? super T> actual;

		private final Context context;

		private @Nullable Subscription upstream;

		AnchorSubscriber(CoreSubscriber<? super T> actual, Context context) {
			this.actual = actual;
			this.context = context;
		}

		@Override
		public Context currentContext() {
			return this.context;
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			this.upstream = subscription;
			this.actual.onSubscribe(this);
		}

		@Override
		public void onNext(T value) {
			this.actual.onNext(value);
		}

		@Override
		public void onError(Throwable failure) {
			this.actual.onError(failure);
		}

		@Override
		public void onComplete() {
			this.actual.onComplete();
		}

		@Override
		public void request(long n) {
			Subscription upstream = this.upstream;
			if (upstream != null) {
				upstream.request(n);
			}
		}

		@Override
		public void cancel() {
			Subscription upstream = this.upstream;
			if (upstream != null) {
				upstream.cancel();
			}
		}

		@Override
		public @Nullable Object scanUnsafe(Attr key) {
			if (key == Attr.PARENT) {
				return this.upstream;
			}
			if (key == Attr.ACTUAL) {
				return this.actual;
			}
			if (key == Attr.RUN_STYLE) {
				return Attr.RunStyle.SYNC;
			}
			return null;
		}

	}

}
