package com.aqad.marketplace.identity;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import com.aqad.marketplace.platform.redis.RedisAvailability;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Login sessions in Redis. A session holds its refresh-token family: the current token's
 * hash and the hashes already spent. Every key of an account is in one hash slot
 * ({@code identity:{account}:...}), so each script touches one shard.
 */
@Component
class Sessions {

	private static final RedisScript<List> CREATE = RedisScript.of("""
			-- KEYS: session, sessions-of-account; ARGV: sid, refresh hash, now ms, ttl ms, max sessions, key prefix
			local now, ttl = tonumber(ARGV[3]), tonumber(ARGV[4])
			redis.call('HSET', KEYS[1], 'refresh', ARGV[2], 'created', ARGV[3], 'refreshed', ARGV[3])
			redis.call('PEXPIRE', KEYS[1], ttl)
			redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - ttl)
			redis.call('ZADD', KEYS[2], now, ARGV[1])
			redis.call('PEXPIRE', KEYS[2], ttl)
			local evicted = {}
			local excess = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[5])
			if excess > 0 then
			  evicted = redis.call('ZRANGE', KEYS[2], 0, excess - 1)
			  for _, sid in ipairs(evicted) do
			    redis.call('DEL', ARGV[6] .. sid, ARGV[6] .. sid .. ':spent')
			    redis.call('ZREM', KEYS[2], sid)
			  end
			end
			return evicted
			""", List.class);

	private static final RedisScript<String> ROTATE = RedisScript.of("""
			-- KEYS: session, spent, sessions-of-account; ARGV: sid, presented hash, new hash, now ms, ttl ms
			local current = redis.call('HGET', KEYS[1], 'refresh')
			if not current then return 'unknown' end
			if current == ARGV[2] then
			  redis.call('HSET', KEYS[1], 'refresh', ARGV[3], 'refreshed', ARGV[4])
			  redis.call('SADD', KEYS[2], ARGV[2])
			  redis.call('PEXPIRE', KEYS[1], ARGV[5])
			  redis.call('PEXPIRE', KEYS[2], ARGV[5])
			  redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
			  redis.call('PEXPIRE', KEYS[3], ARGV[5])
			  return 'rotated'
			end
			if redis.call('SISMEMBER', KEYS[2], ARGV[2]) == 1 then
			  redis.call('DEL', KEYS[1], KEYS[2])
			  redis.call('ZREM', KEYS[3], ARGV[1])
			  return 'reused'
			end
			return 'invalid'
			""", String.class);

	private static final RedisScript<Long> REVOKE = RedisScript.of("""
			-- KEYS: session, spent, sessions-of-account; ARGV: sid
			redis.call('ZREM', KEYS[3], ARGV[1])
			return redis.call('DEL', KEYS[1], KEYS[2])
			""", Long.class);

	private static final RedisScript<List> REVOKE_ALL = RedisScript.of("""
			-- KEYS: sessions-of-account; ARGV: key prefix
			local sids = redis.call('ZRANGE', KEYS[1], 0, -1)
			for _, sid in ipairs(sids) do
			  redis.call('DEL', ARGV[1] .. sid, ARGV[1] .. sid .. ':spent')
			end
			redis.call('DEL', KEYS[1])
			return sids
			""", List.class);

	private static final RedisScript<List> LIST = RedisScript.of("""
			-- KEYS: sessions-of-account; ARGV: key prefix, now ms, ttl ms
			redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[2]) - tonumber(ARGV[3]))
			local result = {}
			for _, sid in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
			  local fields = redis.call('HMGET', ARGV[1] .. sid, 'created', 'refreshed')
			  if fields[1] then
			    table.insert(result, sid)
			    table.insert(result, fields[1])
			    table.insert(result, fields[2])
			  end
			end
			return result
			""", List.class);

	private final ReactiveStringRedisTemplate redis;

	private final RedisAvailability availability;

	private final IdentityProperties properties;

	private final Clock clock;

	Sessions(ReactiveStringRedisTemplate redis, RedisAvailability availability, IdentityProperties properties,
			Clock clock) {
		this.redis = redis;
		this.availability = availability;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * A new session for the account and its first refresh token; also the ids of older
	 * sessions dropped to keep the account within its limit.
	 */
	Mono<Started> start(UUID accountId) {
		String sid = Secrets.random(16);
		String secret = Secrets.random(32);
		long now = this.clock.millis();
		String prefix = prefix(accountId);
		return this.availability
			.guard(this.redis.execute(CREATE, List.of(prefix + sid, sessionsOf(accountId)),
					List.of(sid, Secrets.digest(secret), Long.toString(now), Long.toString(ttlMillis()),
							Integer.toString(this.properties.sessions().maxPerAccount()), prefix))
				.next())
			.map((evicted) -> new Started(sid, new RefreshToken(accountId, sid, secret).encode(), strings(evicted)));
	}

	/**
	 * Spends a refresh token: {@code ROTATED} with the token that replaces it,
	 * {@code REUSED} when it was spent before (the session is gone now), {@code INVALID}
	 * when it is unknown.
	 */
	Mono<Rotation> rotate(RefreshToken presented) {
		String secret = Secrets.random(32);
		String prefix = prefix(presented.accountId());
		String session = prefix + presented.sessionId();
		return this.availability
			.guard(this.redis.execute(ROTATE, List.of(session, session + ":spent", sessionsOf(presented.accountId())),
					List.of(presented.sessionId(), Secrets.digest(presented.secret()), Secrets.digest(secret),
							Long.toString(this.clock.millis()), Long.toString(ttlMillis())))
				.next())
			.map((outcome) -> switch (outcome) {
				case "rotated" -> new Rotation(Rotation.Outcome.ROTATED,
						new RefreshToken(presented.accountId(), presented.sessionId(), secret));
				case "reused" -> new Rotation(Rotation.Outcome.REUSED, null);
				default -> new Rotation(Rotation.Outcome.INVALID, null);
			});
	}

	Mono<Boolean> revoke(UUID accountId, String sessionId) {
		String session = prefix(accountId) + sessionId;
		return this.availability
			.guard(this.redis
				.execute(REVOKE, List.of(session, session + ":spent", sessionsOf(accountId)), List.of(sessionId))
				.next())
			.map((deleted) -> deleted > 0);
	}

	/**
	 * Ends every session of the account; the ids of those ended.
	 */
	Mono<List<String>> revokeAll(UUID accountId) {
		return this.availability
			.guard(this.redis.execute(REVOKE_ALL, List.of(sessionsOf(accountId)), List.of(prefix(accountId))).next())
			.map(Sessions::strings);
	}

	Mono<Boolean> exists(UUID accountId, String sessionId) {
		return this.availability.guard(this.redis.hasKey(prefix(accountId) + sessionId));
	}

	Flux<SessionInfo> list(UUID accountId) {
		return this.availability
			.guard(this.redis
				.execute(LIST, List.of(sessionsOf(accountId)),
						List.of(prefix(accountId), Long.toString(this.clock.millis()), Long.toString(ttlMillis())))
				.next())
			.flatMapMany((flat) -> {
				List<String> values = strings(flat);
				List<SessionInfo> sessions = new ArrayList<>();
				for (int i = 0; i + 2 < values.size(); i += 3) {
					Instant refreshed = Instant.ofEpochMilli(Long.parseLong(values.get(i + 2)));
					sessions.add(new SessionInfo(values.get(i), Instant.ofEpochMilli(Long.parseLong(values.get(i + 1))),
							refreshed, refreshed.plus(this.properties.refreshTokenTtl())));
				}
				return Flux.fromIterable(sessions);
			});
	}

	private long ttlMillis() {
		return this.properties.refreshTokenTtl().toMillis();
	}

	private static String prefix(UUID accountId) {
		return "identity:{" + accountId + "}:session:";
	}

	private static String sessionsOf(UUID accountId) {
		return "identity:{" + accountId + "}:sessions";
	}

	private static List<String> strings(List<?> values) {
		return values.stream().map(String::valueOf).toList();
	}

	record Started(String sessionId, String refreshToken, List<String> evicted) {
	}

	record Rotation(Outcome outcome, RefreshToken next) {

		enum Outcome {

			ROTATED, REUSED, INVALID

		}

	}

	/**
	 * A session as its owner sees it.
	 */
	record SessionInfo(String id, Instant createdAt, Instant lastRefreshedAt, Instant expiresAt) {
	}

}
