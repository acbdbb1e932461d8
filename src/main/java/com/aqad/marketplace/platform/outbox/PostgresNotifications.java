package com.aqad.marketplace.platform.outbox;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.stereotype.Component;

/**
 * PostgreSQL {@code LISTEN}: one connection per channel outside the pool, shared by every
 * reader of this instance, reconnecting with back-off. Notifications only wake readers up
 * early; outboxes are also polled, so a lost connection delays events, never loses them.
 */
@Component
public class PostgresNotifications {

	private static final Logger logger = LoggerFactory.getLogger(PostgresNotifications.class);

	private final ConnectionFactory connections;

	private final Map<String, Flux<Notification>> channels = new ConcurrentHashMap<>();

	PostgresNotifications(ConnectionFactory connections) {
		this.connections = unwrap(connections);
	}

	/**
	 * The payloads notified on {@code channel} (a feature's constant, never input).
	 */
	public Flux<String> on(String channel) {
		return watch(channel).filter((notification) -> !(notification instanceof Notification.Lost))
			.map((notification) -> (notification instanceof Notification.Payload payload) ? payload.text() : "");
	}

	/**
	 * What happens on {@code channel} (a feature's constant, never input): payloads, and
	 * when this instance starts listening and stops (until then, and after a loss until
	 * the next start, notifications may have been missed).
	 */
	public Flux<Notification> watch(String channel) {
		return this.channels.computeIfAbsent(channel, this::listen);
	}

	private Flux<Notification> listen(String channel) {
		return Flux.usingWhen(Mono.from(this.connections.create()), (connection) -> {
			if (!(connection instanceof PostgresqlConnection postgres)) {
				return Flux.never();
			}
			// subscribed to before LISTEN runs, so that nothing notified after it is
			// missed
			Flux<Notification> payloads = postgres.getNotifications()
				.map((notification) -> new Notification.Payload(
						(notification.getParameter() != null) ? notification.getParameter() : ""));
			Mono<Notification> listening = postgres.createStatement("LISTEN " + channel)
				.execute()
				.flatMap((result) -> result.getRowsUpdated())
				.then(Mono.just(Notification.LISTENING));
			return Flux.merge(payloads, listening);
		}, Connection::close)
			.concatWith(Mono.error(() -> new IllegalStateException("the notification stream ended")))
			.doOnError((ex) -> logger.warn("Listening on {} failed ({}); reconnecting", channel, ex.toString()))
			.onErrorResume((ex) -> Flux.just(Notification.LOST).concatWith(Mono.error(ex)))
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(10)))
			.share();
	}

	/**
	 * One event of a watched channel.
	 */
	public sealed interface Notification {

		/** Listening (again): notifications from now on arrive. */
		Notification LISTENING = new Listening();

		/**
		 * The connection is lost: notifications may be missed until the next LISTENING.
		 */
		Notification LOST = new Lost();

		/** A notification's payload. */
		record Payload(String text) implements Notification {
		}

		/** See {@link #LISTENING}. */
		record Listening() implements Notification {
		}

		/** See {@link #LOST}. */
		record Lost() implements Notification {
		}

	}

	@SuppressWarnings("unchecked")
	private static ConnectionFactory unwrap(ConnectionFactory factory) {
		// the pool would lend a connection forever; LISTEN gets one of its own
		ConnectionFactory current = factory;
		while (current instanceof Wrapped<?> wrapped && wrapped.unwrap() instanceof ConnectionFactory inner) {
			current = inner;
		}
		return current;
	}

}
