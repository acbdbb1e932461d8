package com.aqad.marketplace.ratelimit;

import java.util.ArrayList;
import java.util.List;

import reactor.core.publisher.Mono;

import com.aqad.marketplace.platform.redis.RedisAvailability;
import com.aqad.marketplace.ratelimit.RateLimitPolicy.Bucket;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * The shared buckets: one Lua script takes tokens from every bucket of a subject at once,
 * on Redis's own clock, or from none of them. Each bucket is one key holding its
 * "theoretical arrival time" (GCRA): the moment it would be full again, which expires by
 * itself. All keys of one subject share a hash tag, so the script runs on Redis Cluster.
 */
@Component
class RedisBuckets {

	/**
	 * KEYS: the buckets. ARGV per bucket: cost, capacity, period (ms), enforced (1/0).
	 * Returns per bucket: granted (1/0), remaining, reset (ms), retry (ms). Takes only
	 * when every enforced bucket can give; shadow buckets give when they can.
	 */
	private static final RedisScript<List> TAKE = RedisScript.of("""
			local t = redis.call('TIME')
			local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
			local n = #KEYS
			local level, after, ok = {}, {}, {}
			local allowed = true
			for i = 1, n do
			  local b = (i - 1) * 4
			  local cost, capacity, period = tonumber(ARGV[b + 1]), tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3])
			  local tat = tonumber(redis.call('GET', KEYS[i]) or now)
			  if tat < now then tat = now end
			  level[i] = tat
			  after[i] = tat + cost * period / capacity
			  ok[i] = after[i] - now <= period
			  if not ok[i] and ARGV[b + 4] == '1' then allowed = false end
			end
			local out = {}
			for i = 1, n do
			  local b = (i - 1) * 4
			  local capacity, period = tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3])
			  local tat = level[i]
			  if allowed and ok[i] then
			    tat = after[i]
			    redis.call('SET', KEYS[i], string.format('%.3f', tat), 'PX', math.max(1, math.ceil(tat - now)))
			  end
			  local granted = ok[i] and 1 or 0
			  local retry = ok[i] and 0 or math.ceil(after[i] - now - period)
			  out[#out + 1] = granted
			  out[#out + 1] = math.max(0, math.floor((period - (tat - now)) * capacity / period + 1e-6))
			  out[#out + 1] = math.ceil(tat - now)
			  out[#out + 1] = retry
			end
			return out
			""", List.class);

	/**
	 * KEYS: the buckets. ARGV per bucket: cost, capacity, period (ms). Gives the tokens
	 * back.
	 */
	private static final RedisScript<Long> GIVE_BACK = RedisScript.of("""
			local t = redis.call('TIME')
			local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
			for i = 1, #KEYS do
			  local b = (i - 1) * 3
			  local tat = tonumber(redis.call('GET', KEYS[i]))
			  if tat then
			    tat = tat - tonumber(ARGV[b + 1]) * tonumber(ARGV[b + 3]) / tonumber(ARGV[b + 2])
			    if tat <= now then
			      redis.call('DEL', KEYS[i])
			    else
			      redis.call('SET', KEYS[i], string.format('%.3f', tat), 'PX', math.ceil(tat - now))
			    end
			  end
			end
			return 1
			""", Long.class);

	private final ReactiveStringRedisTemplate redis;

	private final RedisAvailability availability;

	RedisBuckets(ReactiveStringRedisTemplate redis, RedisAvailability availability) {
		this.redis = redis;
		this.availability = availability;
	}

	/**
	 * Takes from the buckets of charges that all share one subject.
	 */
	Mono<Verdict> take(String subject, List<Charge> charges) {
		List<String> keys = new ArrayList<>();
		List<String> arguments = new ArrayList<>();
		describe(subject, charges, keys, arguments, true);
		return this.availability.guard(this.redis.execute(TAKE, keys, arguments).next()).map((reply) -> {
			List<Take> takes = new ArrayList<>(keys.size());
			int i = 0;
			for (Charge charge : charges) {
				for (Bucket bucket : charge.buckets()) {
					takes.add(new Take(charge, bucket, number(reply, i) == 1, number(reply, i + 1),
							number(reply, i + 2), number(reply, i + 3)));
					i += 4;
				}
			}
			return new Verdict(List.copyOf(takes), false);
		});
	}

	/**
	 * Gives back what the charges of one subject took.
	 */
	Mono<Void> giveBack(String subject, List<Charge> charges) {
		List<String> keys = new ArrayList<>();
		List<String> arguments = new ArrayList<>();
		describe(subject, charges, keys, arguments, false);
		return this.availability.guard(this.redis.execute(GIVE_BACK, keys, arguments).then());
	}

	/**
	 * The scripts' keys and, per key, cost, capacity, period and (to take) whether it is
	 * enforced.
	 */
	private static void describe(String subject, List<Charge> charges, List<String> keys, List<String> arguments,
			boolean enforcement) {
		for (Charge charge : charges) {
			for (Bucket bucket : charge.buckets()) {
				keys.add(key(subject, bucket));
				arguments.add(Integer.toString(charge.cost()));
				arguments.add(Long.toString(bucket.capacity()));
				arguments.add(Long.toString(bucket.periodMillis()));
				if (enforcement) {
					arguments.add(charge.shadow() ? "0" : "1");
				}
			}
		}
	}

	static String key(String subject, Bucket bucket) {
		return "ratelimit:{" + subject + "}:" + bucket.name();
	}

	private static long number(List<?> reply, int index) {
		return ((Number) reply.get(index)).longValue();
	}

}
