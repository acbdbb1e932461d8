package com.aqad.marketplace.platform.outbox;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

import com.aqad.marketplace.platform.web.ApiException;

import org.springframework.http.HttpStatus;

/**
 * The live events of one outbox on this instance, for any number of readers. One poller
 * per instance tails the table (woken by {@code NOTIFY}, and every poll interval in any
 * case), and fans the events out in memory; since every instance tails the same table,
 * every reader sees the changes made on every instance.
 * <p>
 * A reader resuming from an id first reads what it missed from the table, page by page,
 * then joins the live events without a gap or a duplicate. A reader too slow to keep up
 * with a bounded buffer is ended (it reconnects with its last id and catches up from the
 * table), so no reader can make the heap grow.
 */
public final class EventStream<E extends OutboxEvent, F> {

	private static final Logger logger = LoggerFactory.getLogger(EventStream.class);

	private final Outbox<E, F> outbox;

	private final Settings settings;

	private final Flux<E> live;

	private final Sinks.Empty<Void> closing = Sinks.empty();

	/**
	 * Where the running poller started: it emits only events after this id.
	 */
	private volatile Sinks.One<EventId> started;

	/**
	 * How a stream reads its outbox.
	 *
	 * @param pollInterval how often the poller reads without being woken
	 * @param pageSize rows per read
	 * @param readerBuffer live events a reader may have pending before it is ended
	 */
	public record Settings(Duration pollInterval, int pageSize, int readerBuffer) {
	}

	public EventStream(Outbox<E, F> outbox, Flux<?> wakeups, Settings settings) {
		this.outbox = outbox;
		this.settings = settings;
		this.live = Flux.defer(() -> {
			// runs when the first reader subscribes, before its subscribe call returns
			Sinks.One<EventId> started = Sinks.one();
			this.started = started;
			return outbox.head()
				.doOnNext(started::tryEmitValue)
				.doOnError(started::tryEmitError)
				.flatMapMany((start) -> tail(start, wakeups));
		}).publish(Queues.SMALL_BUFFER_SIZE).refCount();
	}

	private Flux<E> tail(EventId start, Flux<?> wakeups) {
		AtomicReference<EventId> cursor = new AtomicReference<>(start);
		Flux<Object> ticks = Flux
			.<Object>merge(Flux.interval(Duration.ZERO, this.settings.pollInterval()),
					wakeups.onErrorResume((ex) -> Mono.empty()))
			.onBackpressureLatest();
		return ticks.concatMap(
				(tick) -> drain(cursor.get(), null).doOnNext((event) -> cursor.set(event.id())).onErrorResume((ex) -> {
					logger.warn("Reading the outbox failed ({}); retrying at the next poll", ex.toString());
					return Mono.empty();
				}), 1);
	}

	/**
	 * Every visible event after {@code after} matching {@code filter}, page by page.
	 */
	private Flux<E> drain(EventId after, F filter) {
		int size = this.settings.pageSize();
		return page(after, filter)
			.expand((page) -> (page.size() == size) ? page(page.get(size - 1).id(), filter) : Mono.empty())
			.concatMapIterable((page) -> page);
	}

	private Mono<List<E>> page(EventId after, F filter) {
		return this.outbox.after(after, this.settings.pageSize(), filter).collectList();
	}

	/**
	 * A reader's events: after {@code from} ({@code null}: from now), those matching
	 * {@code filter} in the table and {@code visible} in memory (the same test, written
	 * twice: SQL for catching up, Java for live events). 410 {@code events_expired} when
	 * {@code from} is older than the outbox keeps; the stream ends (normally) when the
	 * reader falls too far behind.
	 */
	public Mono<Flux<E>> open(EventId from, F filter, Predicate<E> visible) {
		Mono<EventId> start = (from == null) ? this.outbox.head() : this.outbox.prunedThrough()
			.flatMap((pruned) -> pruned.isAfter(from) ? Mono.error(new ApiException(HttpStatus.GONE, "events_expired",
					"Events after this Last-Event-ID are no longer kept; read the full feed again, then resume from its position."))
					: Mono.just(from));
		return start.map((first) -> events(first, filter, visible).takeUntilOther(this.closing.asMono()));
	}

	/**
	 * Ends every reader's stream (normally: clients reconnect, to another instance, with
	 * their last id), so that a graceful shutdown need not wait for streams that never
	 * end.
	 */
	public void close() {
		this.closing.tryEmitEmpty();
	}

	private Flux<E> events(EventId first, F filter, Predicate<E> visible) {
		AtomicReference<EventId> last = new AtomicReference<>(first);
		Flux<E> caughtUp = drain(first, filter);
		Flux<E> thenLive = Flux.defer(() -> {
			Sinks.Many<E> pending = Sinks.many()
				.unicast()
				.onBackpressureBuffer(Queues.<E>get(this.settings.readerBuffer()).get());
			Disposable subscription = this.live.filter(visible).subscribe((event) -> {
				if (pending.tryEmitNext(event).isFailure()) {
					pending.tryEmitError(new ReaderTooSlow());
				}
			}, pending::tryEmitError);
			// what became visible between the first catch-up and the poller's start (read
			// once the poller has started: it emits only what comes after its start)
			Flux<E> gap = this.started.asMono().thenMany(Flux.defer(() -> drain(last.get(), filter)));
			return Flux.concat(gap, pending.asFlux()).doFinally((signal) -> subscription.dispose());
		});
		return Flux.concat(caughtUp, thenLive).filter((event) -> {
			if (!event.id().isAfter(last.get())) {
				return false;
			}
			last.set(event.id());
			return true;
		}).onErrorResume(ReaderTooSlow.class, (ex) -> Mono.empty());
	}

	/**
	 * A reader that left more live events unread than its buffer holds; it resumes from
	 * the table when it reconnects.
	 */
	public static final class ReaderTooSlow extends RuntimeException {

		ReaderTooSlow() {
			super("reader too slow for the live events", null, false, false);
		}

	}

}
