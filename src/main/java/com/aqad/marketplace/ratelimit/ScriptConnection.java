package com.aqad.marketplace.ratelimit;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import com.aqad.marketplace.platform.redis.RedisAvailability;
import com.aqad.marketplace.platform.redis.RedisAvailability.RedisUnavailableException;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * The limiter's own Redis connection, for the one command on every limited request: its
 * script, called with Lettuce's asynchronous commands on byte arrays made once per
 * policy.
 * <p>
 * Profiled: through Spring Data's script executor each call built streams of its keys and
 * arguments, serialized each into a buffer, looked up the shared connection under a lock
 * and assembled a Reactor pipeline; that was 6.6 % of a cached read's CPU. The connection
 * comes from the client Spring Data built (the same address, credentials, resources and
 * options: commands fail at once while Redis is unreachable, see
 * {@code RedisClientOptions}); it is opened off the event loop, retrying until Redis
 * answers, and until then every call fails at once, so the limiter falls back to the
 * instance's own buckets.
 */
@Component
class ScriptConnection implements SmartLifecycle {

	private final LettuceConnectionFactory factory;

	private volatile StatefulRedisConnection<byte[], byte[]> connection;

	private volatile Disposable opening;

	ScriptConnection(LettuceConnectionFactory factory) {
		this.factory = factory;
	}

	/**
	 * Runs the script by its digest, sending its text only when Redis does not know it
	 * (after a restart or a {@code SCRIPT FLUSH}). Completes on the connection's event
	 * loop.
	 */
	CompletableFuture<List<Object>> run(RedisScript<?> script, byte[][] keys, byte[][] arguments) {
		StatefulRedisConnection<byte[], byte[]> open = this.connection;
		if (open == null) {
			return CompletableFuture.failedFuture(RedisUnavailableException.INSTANCE);
		}
		RedisAsyncCommands<byte[], byte[]> commands = open.async();
		CompletableFuture<List<Object>> bySha = commands
			.<List<Object>>evalsha(script.getSha1(), ScriptOutputType.MULTI, keys, arguments)
			.toCompletableFuture();
		return bySha.exceptionallyCompose((failure) -> (unwrap(failure) instanceof RedisNoScriptException)
				? commands.<List<Object>>eval(script.getScriptAsString(), ScriptOutputType.MULTI, keys, arguments)
					.toCompletableFuture()
				: CompletableFuture.failedFuture(unwrap(failure)));
	}

	static Throwable unwrap(Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

	@Override
	public void start() {
		this.opening = RedisAvailability.untilReachable(
				Mono.fromCallable(() -> client().connect(ByteArrayCodec.INSTANCE)),
				"The rate limiter cannot reach Redis yet ({}); limiting with this instance's buckets",
				(opened) -> this.connection = opened);
	}

	private RedisClient client() {
		AbstractRedisClient client = this.factory.getRequiredNativeClient();
		if (client instanceof RedisClient redisClient) {
			return redisClient;
		}
		throw new IllegalStateException(
				"The rate limiter needs one Redis primary (a standalone or Sentinel client), not "
						+ client.getClass().getSimpleName());
	}

	@Override
	public void stop() {
		Disposable current = this.opening;
		if (current != null) {
			current.dispose();
		}
		StatefulRedisConnection<byte[], byte[]> open = this.connection;
		this.connection = null;
		if (open != null) {
			open.closeAsync();
		}
	}

	@Override
	public boolean isRunning() {
		return this.connection != null || (this.opening != null && !this.opening.isDisposed());
	}

}
