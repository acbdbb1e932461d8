package com.aqad.marketplace.feed;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import com.aqad.marketplace.platform.outbox.EventId;
import com.aqad.marketplace.platform.outbox.EventStream;
import com.aqad.marketplace.platform.outbox.PostgresNotifications;
import com.aqad.marketplace.platform.web.ApiException;
import com.aqad.marketplace.platform.web.RequestRate;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Full feeds (bounded per instance: each holds a database connection while it streams)
 * and the product change stream.
 */
@Service
class FeedService {

	private static final Logger logger = LoggerFactory.getLogger(FeedService.class);

	private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

	private final FeedRepository repository;

	private final FeedProperties properties;

	private final EventStream<ProductEvent, FeedFilter> changes;

	private final AtomicInteger running = new AtomicInteger();

	private final @Nullable FeedPace pace;

	private Disposable pruning;

	FeedService(FeedRepository repository, FeedProperties properties, PostgresNotifications notifications,
			RequestRate requests) {
		this.repository = repository;
		this.properties = properties;
		this.pace = FeedPace.of(properties.budget(), requests::total);
		FeedProperties.Changes settings = properties.changes();
		this.changes = new EventStream<>(repository, notifications.on(FeedRepository.CHANNEL),
				new EventStream.Settings(settings.pollInterval(), settings.pageSize(), settings.readerBuffer()));
	}

	/**
	 * Where the change stream is now: resuming changes from here after a full feed that
	 * started later misses nothing.
	 */
	Mono<EventId> position() {
		return this.repository.head();
	}

	/**
	 * The active products matching {@code filter}, as JSON; 503 {@code feed_busy} when
	 * this instance streams as many feeds as it may.
	 */
	Flux<String> products(FeedFilter filter) {
		return Flux.defer(() -> {
			if (this.running.incrementAndGet() > this.properties.maxConcurrent()) {
				this.running.decrementAndGet();
				return Flux.error(new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "feed_busy",
						"This server streams as many feeds as it may right now; try again shortly."));
			}
			return this.repository.products(filter).doFinally((signal) -> this.running.decrementAndGet());
		});
	}

	/**
	 * The budget full feeds share, or {@code null} for none.
	 */
	@Nullable FeedPace pace() {
		return this.pace;
	}

	Mono<Flux<ProductEvent>> changes(EventId from, FeedFilter filter) {
		return this.changes.open(from, filter, filter::matches);
	}

	@EventListener(ApplicationReadyEvent.class)
	void startPruning() {
		this.pruning = Flux.interval(PRUNE_EVERY, PRUNE_EVERY)
			.onBackpressureDrop()
			.concatMap((tick) -> this.repository.prune().onErrorResume((ex) -> {
				logger.warn("Pruning product events failed ({})", ex.toString());
				return Mono.empty();
			}))
			.subscribe();
	}

	@EventListener(ContextClosedEvent.class)
	void closeStreams() {
		this.changes.close();
	}

	@PreDestroy
	void stopPruning() {
		if (this.pruning != null) {
			this.pruning.dispose();
		}
	}

}
