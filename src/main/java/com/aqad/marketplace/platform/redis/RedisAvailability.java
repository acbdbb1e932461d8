package com.aqad.marketplace.platform.redis;

import java.time.Duration;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * Opens the shared Redis connection off the event loop and says whether it is open yet.
 * <p>
 * Spring Data Redis opens its shared Lettuce connection with a blocking connect the first
 * time anyone asks for it; done on an event loop that stalls every request on that loop
 * (BlockHound catches it). So the connection is opened here, on a bounded-elastic thread,
 * retrying with backoff until Redis answers; until then {@link #guard} fails Redis calls
 * at once and callers use their fallback. Once open, Lettuce reconnects by itself,
 * rejecting commands while it is disconnected.
 */
@Component
public class RedisAvailability implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(RedisAvailability.class);

	private final ReactiveRedisConnectionFactory connections;

	private volatile boolean open;

	private volatile Disposable opening;

	RedisAvailability(ReactiveRedisConnectionFactory connections) {
		this.connections = connections;
	}

	/**
	 * The Redis call, or an immediate {@link RedisUnavailableException} while the
	 * connection is not open.
	 */
	public <T> Mono<T> guard(Mono<T> call) {
		return this.open ? call : Mono.error(RedisUnavailableException.INSTANCE);
	}

	public boolean isOpen() {
		return this.open;
	}

	@Override
	public void start() {
		this.opening = untilReachable(
				Mono.usingWhen(Mono.fromCallable(this.connections::getReactiveConnection),
						(connection) -> connection.ping(), ReactiveRedisConnection::closeLater),
				"Redis is not reachable yet ({}); serving without it", (pong) -> {
					this.open = true;
					log.info("Redis connection open");
				});
	}

	/**
	 * Runs the attempt (opening a connection: blocking, so) on a bounded-elastic thread,
	 * again with a backoff growing to 5 s until it succeeds, warning now and then with
	 * the last failure in the message's {@code {}}; hands the result over once.
	 */
	public static <T> Disposable untilReachable(Mono<T> attempt, String warning, Consumer<T> opened) {
		return attempt.subscribeOn(Schedulers.boundedElastic())
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100))
				.maxBackoff(Duration.ofSeconds(5))
				.doBeforeRetry((retry) -> {
					if (retry.totalRetries() % 20 == 0) {
						log.warn(warning, retry.failure().toString());
					}
				}))
			.subscribe(opened);
	}

	@Override
	public void stop() {
		Disposable current = this.opening;
		if (current != null) {
			current.dispose();
		}
		this.open = false;
	}

	@Override
	public boolean isRunning() {
		return this.open || (this.opening != null && !this.opening.isDisposed());
	}

	/**
	 * Redis has not been reached yet.
	 */
	public static final class RedisUnavailableException extends RuntimeException {

		/** the one instance: it has no stack trace */
		public static final RedisUnavailableException INSTANCE = new RedisUnavailableException();

		private RedisUnavailableException() {
			super("Redis connection is not open", null, false, false);
		}

	}

}
