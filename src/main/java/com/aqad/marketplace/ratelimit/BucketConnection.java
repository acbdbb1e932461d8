package com.aqad.marketplace.ratelimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisScriptingReactiveCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import com.aqad.marketplace.platform.redis.RedisAvailability.RedisUnavailableException;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The limiter's own Redis connection, made by the application's Lettuce client (same
 * server, options and event loops): its replies arrive on an I/O thread of their own
 * rather than queueing behind the cache's on the shared connection, its command timeout
 * is the limiter's, and scripts go straight to Lettuce ({@code EVALSHA}, {@code EVAL}
 * once after a Redis restart). Opened off the event loop, retried until Redis answers;
 * until then calls fail at once and the local buckets decide.
 */
class BucketConnection implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(BucketConnection.class);

	private final LettuceConnectionFactory factory;

	private final Duration timeout;

	private volatile StatefulConnection<String, String> connection;

	private volatile RedisScriptingReactiveCommands<String, String> commands;

	private volatile Disposable opening;

	BucketConnection(LettuceConnectionFactory factory, Duration timeout) {
		this.factory = factory;
		this.timeout = timeout;
	}

	/**
	 * Runs a script (by its digest, loading it when Redis does not know it); the integers
	 * it returns.
	 */
	Mono<List<Object>> run(Script script, String[] keys, String[] arguments) {
		RedisScriptingReactiveCommands<String, String> redis = this.commands;
		if (redis == null) {
			return Mono.error(RedisUnavailableException.INSTANCE);
		}
		return redis.<Object>evalsha(script.sha1(), ScriptOutputType.MULTI, keys, arguments)
			.onErrorResume(RedisNoScriptException.class,
					(unknown) -> redis.eval(script.text(), ScriptOutputType.MULTI, keys, arguments))
			.collectList()
			.map(BucketConnection::flat);
	}

	/** the script's array, whether Lettuce emitted it whole or element by element */
	@SuppressWarnings("unchecked")
	private static List<Object> flat(List<Object> reply) {
		return (reply.size() == 1 && reply.get(0) instanceof List<?> whole) ? (List<Object>) whole : reply;
	}

	@Override
	public void start() {
		this.opening = Mono.fromCallable(this::connect)
			.subscribeOn(Schedulers.boundedElastic())
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(5)))
			.subscribe((connection) -> log.info("Rate limiter's Redis connection open"));
	}

	private StatefulConnection<String, String> connect() {
		AbstractRedisClient client = this.factory.getRequiredNativeClient();
		if (client instanceof RedisClusterClient cluster) {
			StatefulRedisClusterConnection<String, String> opened = cluster.connect(StringCodec.UTF8);
			opened.setTimeout(this.timeout);
			this.commands = opened.reactive();
			this.connection = opened;
			return opened;
		}
		StatefulRedisConnection<String, String> opened = ((RedisClient) client).connect(StringCodec.UTF8);
		opened.setTimeout(this.timeout);
		this.commands = opened.reactive();
		this.connection = opened;
		return opened;
	}

	@Override
	public void stop() {
		Disposable current = this.opening;
		if (current != null) {
			current.dispose();
		}
		StatefulConnection<String, String> open = this.connection;
		this.commands = null;
		this.connection = null;
		if (open != null) {
			open.closeAsync();
		}
	}

	@Override
	public boolean isRunning() {
		return this.connection != null || (this.opening != null && !this.opening.isDisposed());
	}

	/**
	 * A Lua script and its SHA-1.
	 */
	record Script(String text, String sha1) {

		static Script of(String text) {
			try {
				byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
				return new Script(text, HexFormat.of().formatHex(digest));
			}
			catch (NoSuchAlgorithmException impossible) {
				throw new IllegalStateException(impossible);
			}
		}

	}

}
