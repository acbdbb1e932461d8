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

	private final Map<String, Flux<String>> channels = new ConcurrentHashMap<>();

	PostgresNotifications(ConnectionFactory connections) {
		this.connections = unwrap(connections);
	}

	/**
	 * The payloads notified on {@code channel} (a feature's constant, never input).
	 */
	public Flux<String> on(String channel) {
		return this.channels.computeIfAbsent(channel, this::listen);
	}

	private Flux<String> listen(String channel) {
		return Flux.usingWhen(Mono.from(this.connections.create()), (connection) -> {
			if (!(connection instanceof PostgresqlConnection postgres)) {
				return Flux.never();
			}
			return postgres.createStatement("LISTEN " + channel)
				.execute()
				.flatMap((result) -> result.getRowsUpdated())
				.thenMany(postgres.getNotifications())
				.map((notification) -> (notification.getParameter() != null) ? notification.getParameter() : "");
		}, Connection::close)
			.doOnError((ex) -> logger.warn("Listening on {} failed ({}); reconnecting", channel, ex.toString()))
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(10)))
			.share();
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
