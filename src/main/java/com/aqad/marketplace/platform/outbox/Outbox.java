package com.aqad.marketplace.platform.outbox;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One outbox table, read by its feature's repository with {@link OutboxSql}'s fragments.
 *
 * @param <E> its events
 * @param <F> a reader's filter ({@code null}: every event)
 */
public interface Outbox<E extends OutboxEvent, F> {

	/**
	 * Up to {@code limit} events after {@code after} that match {@code filter}, in id
	 * order, only from transactions older than every transaction still running (so no
	 * later commit can ever take an id below one returned).
	 */
	Flux<E> after(EventId after, int limit, F filter);

	/**
	 * The newest event readers may see now ({@link EventId#START} when none).
	 */
	Mono<EventId> head();

	/**
	 * The newest event pruned away ({@link EventId#START} when none): a reader resuming
	 * before it has missed events.
	 */
	Mono<EventId> prunedThrough();

	/**
	 * Deletes events older than the outbox's retention; how many.
	 */
	Mono<Long> prune();

}
