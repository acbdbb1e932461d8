package com.aqad.marketplace.identity;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ConnectionDeactivatedEvent;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * Whether a session is still live, answered mostly from memory. A session checked in
 * Redis is trusted for {@code liveness-ttl}; every revocation is published on a Redis
 * channel that every instance listens to and drops the session from memory at once. An
 * instance pings itself on that channel every {@code heartbeat}: when its own ping has
 * not come back within {@code stale-after}, it cannot know that it hears every
 * revocation, so it forgets what it knew and asks Redis on every request until pings come
 * back. The same happens whenever a Redis connection drops or reconnects: a message
 * published meanwhile may be lost even when the outage was shorter than a heartbeat. A
 * revoked session is therefore refused everywhere within {@code stale-after} plus a
 * delivery, under one second by default, and a healthy instance makes no Redis call for a
 * token it saw recently.
 */
@Component
class Revocations implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(Revocations.class);

	static final String CHANNEL = "identity:revocations";

	private static final int MAX_REMEMBERED = 200_000;

	private final ReactiveRedisConnectionFactory connections;

	private final ReactiveStringRedisTemplate redis;

	private final Sessions sessions;

	private final IdentityProperties.Sessions settings;

	private final long accessTokenNanos;

	private final String instance = Secrets.random(9);

	/** session id → when it was last confirmed live (nanoTime) */
	/** sessions found live in Redis: by session id, with the account they belong to */
	private final Map<String, Checked> live = new ConcurrentHashMap<>();

	/** session or account id → until when it stays refused here (nanoTime) */
	private final Map<String, Long> revoked = new ConcurrentHashMap<>();

	private volatile long lastPing = Long.MIN_VALUE;

	/** when this instance last forgot everything it remembered (nanoTime) */
	private volatile long forgottenAt = System.nanoTime();

	private final Disposable.Composite running = Disposables.composite();

	private volatile boolean started;

	private final ClientResources lettuce;

	Revocations(ReactiveRedisConnectionFactory connections, ReactiveStringRedisTemplate redis, Sessions sessions,
			IdentityProperties properties, ClientResources lettuce, MeterRegistry meters) {
		this.connections = connections;
		this.lettuce = lettuce;
		Gauge.builder("aqad.identity.revocations.heard", this, (self) -> self.hearsRevocations() ? 1 : 0)
			.description("1 while this instance hears every session revocation; 0 while it checks Redis per request")
			.register(meters);
		this.redis = redis;
		this.sessions = sessions;
		this.settings = properties.sessions();
		this.accessTokenNanos = properties.accessTokenTtl().plus(properties.clockSkew()).toNanos();
	}

	/**
	 * Whether this session of this account may still be used.
	 */
	Mono<Boolean> isLive(UUID accountId, String sessionId) {
		Boolean known = knownLive(accountId, sessionId);
		if (known != null) {
			return Mono.just(known);
		}
		long now = System.nanoTime();
		return this.sessions.exists(accountId, sessionId).doOnNext((exists) -> {
			if (exists && !isRevoked(sessionId, System.nanoTime())) {
				if (this.live.size() >= MAX_REMEMBERED) {
					this.live.clear();
				}
				this.live.put(sessionId, new Checked(accountId, now));
			}
		});
	}

	/**
	 * Whether this session of this account may still be used, as far as this instance
	 * knows without asking Redis: {@code false} when it heard of its revocation,
	 * {@code true} when it may trust an earlier check ({@link #trusts}), {@code null}
	 * when only Redis can say.
	 */
	Boolean knownLive(UUID accountId, String sessionId) {
		long now = System.nanoTime();
		if (isRevoked(sessionId, now) || isRevoked(accountId.toString(), now)) {
			return Boolean.FALSE;
		}
		Checked checked = this.live.get(sessionId);
		// bound to the account: a token naming another account with this session id is
		// not trusted from memory (Redis knows which account a session belongs to)
		if (checked != null && checked.accountId().equals(accountId) && trusts(sessionId, accountId, checked.at())) {
			return Boolean.TRUE;
		}
		return null;
	}

	/**
	 * Whether a credential of this account, found valid at {@code checkedAt}
	 * ({@link System#nanoTime()}), may still be trusted without asking again: this
	 * instance hears every revocation, nothing revoked the credential or its account
	 * since, nothing made this instance forget since, and the check is younger than
	 * {@code liveness-ttl}.
	 */
	boolean trusts(String credentialId, UUID accountId, long checkedAt) {
		long now = System.nanoTime();
		return healthy(now) && checkedAt - this.forgottenAt > 0
				&& now - checkedAt < this.settings.livenessTtl().toNanos() && !isRevoked(credentialId, now)
				&& !isRevoked(accountId.toString(), now);
	}

	/**
	 * Tells every instance (this one at once) that this API key is revoked.
	 */
	Mono<Void> keyRevoked(UUID keyId) {
		forgetHere(keyId.toString(), false);
		return publish("k:" + keyId).then();
	}

	/**
	 * Tells every instance (this one at once) that these sessions are over.
	 */
	Mono<Void> sessionsRevoked(List<String> sessionIds) {
		sessionIds.forEach((sid) -> forgetHere(sid, false));
		return Flux.fromIterable(sessionIds).concatMap((sid) -> publish("s:" + sid)).then();
	}

	/**
	 * Tells every instance that nothing of this account may be used any more.
	 */
	Mono<Void> accountRevoked(UUID accountId) {
		forgetHere(accountId.toString(), true);
		return publish("a:" + accountId).then();
	}

	private Mono<Long> publish(String message) {
		return this.redis.convertAndSend(CHANNEL, message).onErrorResume((ex) -> {
			// the session itself is gone from Redis; other instances see that within
			// liveness-ttl
			log.warn("Could not publish a revocation: {}", ex.toString());
			return Mono.just(0L);
		});
	}

	private void received(String message) {
		if (message.startsWith("p:")) {
			if (message.substring(2).equals(this.instance)) {
				this.lastPing = System.nanoTime();
			}
		}
		else if (message.startsWith("s:") || message.startsWith("k:") || message.startsWith("a:")) {
			forgetHere(message.substring(2), message.startsWith("a:"));
		}
	}

	private void forgetHere(String id, boolean account) {
		long now = System.nanoTime();
		if (this.revoked.size() >= MAX_REMEMBERED) {
			this.revoked.values().removeIf((until) -> until - now < 0);
		}
		this.revoked.put(id, now + this.accessTokenNanos);
		this.live.remove(id);
		if (account) {
			// sessions are not indexed by account here: forget them all (suspensions are
			// rare)
			this.live.clear();
		}
	}

	private boolean isRevoked(String id, long now) {
		Long until = this.revoked.get(id);
		if (until == null) {
			return false;
		}
		if (until - now < 0) {
			this.revoked.remove(id, until);
			return false;
		}
		return true;
	}

	/**
	 * Whether this instance currently hears every revocation (its own pings come back),
	 * and so may answer from memory.
	 */
	boolean hearsRevocations() {
		return healthy(System.nanoTime());
	}

	private boolean healthy(long now) {
		long last = this.lastPing;
		if (last != Long.MIN_VALUE && now - last < this.settings.staleAfter().toNanos()) {
			return true;
		}
		if (!this.live.isEmpty()) {
			forgetEverything();
		}
		return false;
	}

	private void forgetEverything() {
		this.forgottenAt = System.nanoTime();
		this.live.clear();
	}

	@Override
	public void start() {
		this.started = true;
		Duration heartbeat = this.settings.heartbeat();
		this.running.add(Mono.fromCallable(() -> new ReactiveRedisMessageListenerContainer(this.connections))
			.subscribeOn(Schedulers.boundedElastic())
			.flatMapMany((container) -> {
				this.running.add(container::destroy);
				return container.receive(ChannelTopic.of(CHANNEL));
			})
			.retryWhen(Retry.backoff(Long.MAX_VALUE, heartbeat).maxBackoff(Duration.ofSeconds(5)))
			.subscribe((message) -> received(message.getMessage())));
		// a Redis connection dropped or came back: messages may have been lost in
		// between,
		// so trust nothing remembered until this instance hears its own ping again
		this.running.add(this.lettuce.eventBus()
			.get()
			.filter((event) -> event instanceof ConnectionDeactivatedEvent || event instanceof ConnectionActivatedEvent)
			.subscribe((event) -> {
				this.lastPing = Long.MIN_VALUE;
				forgetEverything();
			}));
		this.running.add(Flux.interval(heartbeat)
			.onBackpressureDrop()
			.concatMap((tick) -> this.redis.convertAndSend(CHANNEL, "p:" + this.instance)
				.timeout(heartbeat)
				.onErrorResume((ex) -> Mono.empty()))
			.subscribe());
	}

	@Override
	public void stop() {
		this.started = false;
		this.running.dispose();
	}

	@Override
	public boolean isRunning() {
		return this.started;
	}

	private record Checked(UUID accountId, long at) {
	}

}
