package com.aqad.marketplace.ratelimit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.EventExecutor;
import reactor.core.publisher.Mono;

import com.aqad.marketplace.platform.redis.RedisAvailability;
import com.aqad.marketplace.ratelimit.RateLimitPolicy.Bucket;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * The shared buckets: one Lua script takes tokens from every bucket of a subject at once,
 * on Redis's own clock, or from none of them. Each bucket has a "theoretical arrival
 * time" (GCRA): the moment it would be full again. One key per subject and policy holds
 * those of all the policy's buckets and expires when the last of them is full again.
 * <p>
 * Takes are batched: while a script call is in flight, the takes that arrive queue up and
 * go together in the next call, in arrival order, each subject's all-or-nothing as if it
 * had its own call (one script runs at a time in Redis, so batching changes no count). A
 * lone request goes at once; under load one round trip, one script start and one reply
 * serve many requests. One call may name the buckets of many subjects, so the limiter
 * needs one Redis primary (as configured); on Redis Cluster the batches would have to be
 * formed per hash slot.
 * <p>
 * Each take waits at most the Redis timeout from its arrival: a script call times out
 * when its oldest take's time is up (the queue is first in, first out, so no take in the
 * call or still queued behind it is older), and takes whose time ran out while queued are
 * failed rather than sent. The circuit breaker is asked once per script call and counts
 * each take's outcome (so its thresholds mean what they did when every request asked
 * Redis itself; a take that ran out of time waiting counts as a failure). So a request
 * pays for no timer and no breaker operator of its own. A call's answers are handed to
 * each requesting event loop in one task per loop, not one per request.
 * <p>
 * Takes go over the limiter's own connection ({@link ScriptConnection}); give-backs (a
 * 304's tokens, rare) through Spring Data's template.
 */
@Component
class RedisBuckets {

	/** the circuit breaker around the script calls, by name */
	static final String BREAKER = "ratelimit-redis";

	/**
	 * KEYS: one per charge of every take in the batch: the subject's state of the
	 * charge's buckets, their "theoretical arrival times" packed as doubles in order.
	 * ARGV: first the bucket lists the batch names, once each: their number d, then per
	 * list: cost, number of buckets n, then per bucket its interval (ms per token) and
	 * period (ms). Then per take: its number of charges m, then per charge the position
	 * of its list (from 1), negative for a shadow charge. Returns per bucket: granted
	 * (1/0), remaining, reset (ms), retry (ms). A take takes only when every enforced
	 * bucket of it can give; shadow buckets give when they can. Within a batch a key is
	 * read once and written once, at the end (many takes of one subject, as one account's
	 * or one proxy's, cost one GET and one SET). Written for Redis's Lua: locals instead
	 * of globals, numbers parsed once per call (half the script's time of one key per
	 * bucket, measured); the lists sent once per call rather than with every take cut a
	 * take's arguments from eight to two, which Lettuce encodes and Redis reads on every
	 * request.
	 */
	private static final RedisScript<List> TAKE = RedisScript.of("""
			local KEYS, ARGV = KEYS, ARGV
			local tonumber, floor, ceil, call = tonumber, math.floor, math.ceil, redis.call
			local pack, unpack_state, unpack = struct.pack, struct.unpack, unpack
			local t = call('TIME')
			local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
			local formats = { '<d', '<dd', '<ddd', '<dddd' }
			local out, o, written, expiries, order, dirty = {}, 0, {}, {}, {}, 0
			local tats, afters, oks, intervals, periods, counts = {}, {}, {}, {}, {}, {}
			local a, k, nargs = 2, 0, #ARGV
			local costs, sizes, listIntervals, listPeriods = {}, {}, {}, {}
			for d = 1, tonumber(ARGV[1]) do
			  local n = tonumber(ARGV[a + 1])
			  costs[d], sizes[d] = tonumber(ARGV[a]), n
			  a = a + 2
			  local ins, pes = {}, {}
			  for i = 1, n do
			    ins[i], pes[i] = tonumber(ARGV[a]), tonumber(ARGV[a + 1])
			    a = a + 2
			  end
			  listIntervals[d], listPeriods[d] = ins, pes
			end
			while a <= nargs do
			  local m = tonumber(ARGV[a])
			  a = a + 1
			  local allowed, j = true, 0
			  for c = 1, m do
			    local key = KEYS[k + c]
			    local state = written[key] or call('GET', key) or ''
			    local list = tonumber(ARGV[a])
			    a = a + 1
			    local enforced = list > 0
			    if not enforced then list = -list end
			    local cost, n, ins, pes = costs[list], sizes[list], listIntervals[list], listPeriods[list]
			    counts[c] = n
			    local s1, s2, s3, s4
			    if #state == 8 * n then s1, s2, s3, s4 = unpack_state(formats[n], state) end
			    for i = 1, n do
			      local interval, period = ins[i], pes[i]
			      j = j + 1
			      local tat = (i == 1 and s1) or (i == 2 and s2) or (i == 3 and s3) or (i == 4 and s4) or now
			      if tat < now then tat = now end
			      local after = tat + cost * interval
			      local ok = after - now <= period
			      tats[j], afters[j], oks[j], intervals[j], periods[j] = tat, after, ok, interval, period
			      if not ok and enforced then allowed = false end
			    end
			  end
			  j = 0
			  for c = 1, m do
			    k = k + 1
			    local n = counts[c]
			    local first, longest, changed = j + 1, 0, false
			    for i = 1, n do
			      j = j + 1
			      local tat, ok, period = tats[j], oks[j], periods[j]
			      if allowed and ok then
			        tat = afters[j]
			        tats[j] = tat
			        changed = true
			      end
			      local left = tat - now
			      if left > longest then longest = left end
			      local remaining = floor((period - left) / intervals[j] + 1e-6)
			      out[o + 1] = ok and 1 or 0
			      out[o + 2] = remaining > 0 and remaining or 0
			      out[o + 3] = ceil(left)
			      out[o + 4] = ok and 0 or ceil(afters[j] - now - period)
			      o = o + 4
			    end
			    if changed then
			      local key = KEYS[k]
			      if not written[key] then
			        dirty = dirty + 1
			        order[dirty] = key
			      end
			      written[key] = pack(formats[n], unpack(tats, first, j))
			      expiries[key] = ceil(longest)
			    end
			  end
			end
			for d = 1, dirty do
			  local key = order[d]
			  call('SET', key, written[key], 'PX', expiries[key])
			end
			return out
			""", List.class);

	/** small numbers as the script reads them: counts and list positions */
	private static final byte[][] NUMBERS = new byte[17][];

	private static final byte[][] NEGATIVES = new byte[17][];

	static {
		for (int i = 0; i < NUMBERS.length; i++) {
			NUMBERS[i] = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
			NEGATIVES[i] = Integer.toString(-i).getBytes(StandardCharsets.US_ASCII);
		}
	}

	/** takes sent in one script call at most */
	private static final int MAX_BATCH = 128;

	/** a call is given at least this long, even for a take about to run out of time */
	private static final long MIN_WAIT_NANOS = Duration.ofMillis(1).toNanos();

	/**
	 * KEYS: one per charge, as for {@link #TAKE}. ARGV per charge: cost, number of
	 * buckets n, then per bucket its interval and period. Gives the tokens back.
	 */
	private static final RedisScript<Long> GIVE_BACK = RedisScript.of("""
			local t = redis.call('TIME')
			local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
			local formats = { '<d', '<dd', '<ddd', '<dddd' }
			local a = 1
			for k = 1, #KEYS do
			  local cost, n = tonumber(ARGV[a]), tonumber(ARGV[a + 1])
			  a = a + 2
			  local state = redis.call('GET', KEYS[k])
			  if state and #state == 8 * n then
			    local tats = { struct.unpack(formats[n], state) }
			    local longest = 0
			    for i = 1, n do
			      tats[i] = math.max(now, tats[i] - cost * tonumber(ARGV[a + (i - 1) * 2]))
			      if tats[i] - now > longest then longest = tats[i] - now end
			    end
			    if longest <= 0 then
			      redis.call('DEL', KEYS[k])
			    else
			      redis.call('SET', KEYS[k], struct.pack(formats[n], unpack(tats, 1, n)), 'PX', math.ceil(longest))
			    end
			  end
			  a = a + n * 2
			end
			return 1
			""", Long.class);

	private final ReactiveStringRedisTemplate redis;

	private final RedisAvailability availability;

	private final ScriptConnection scripts;

	private final int maxInFlight;

	/** taken from by whoever holds a call slot: as many consumers as calls in flight */
	private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();

	private final AtomicInteger inFlight = new AtomicInteger();

	/**
	 * a take waits this long at most from its arrival for its verdict, and so a call slot
	 * is held no longer: a hung Redis cannot keep the slots forever
	 */
	private final Duration callTimeout;

	private final DistributionSummary takesPerCall;

	private final CircuitBreaker breaker;

	RedisBuckets(ReactiveStringRedisTemplate redis, RedisAvailability availability, ScriptConnection scripts,
			RateLimitProperties properties, MeterRegistry meters, CircuitBreakerRegistry breakers) {
		this.redis = redis;
		this.scripts = scripts;
		this.breaker = breakers.circuitBreaker(BREAKER);
		this.availability = availability;
		this.maxInFlight = properties.scriptsInFlight();
		this.callTimeout = properties.redisTimeout();
		this.takesPerCall = DistributionSummary.builder("aqad.ratelimit.script.takes")
			.description("Takes (one subject's buckets each) sent in one script call to Redis")
			.register(meters);
	}

	/**
	 * Takes from the buckets of charges that all share one subject, for a waiter (no
	 * publisher in between: see {@link RequestLimits}). The verdict is told on the given
	 * event loop when there is one, a failure on any thread; a waiter gone by the time
	 * its call is formed is not sent.
	 */
	void take(String subject, List<Charge> charges, EventExecutor loop, Waiter waiter) {
		this.queue.offer(new Pending(subject, charges, waiter, loop, System.nanoTime() + this.callTimeout.toNanos()));
		drain();
	}

	/**
	 * Sends what has queued, as long as fewer than the allowed script calls are in
	 * flight; each call's end sends what queued meanwhile.
	 */
	private void drain() {
		for (;;) {
			int calls = this.inFlight.get();
			if (calls >= this.maxInFlight || this.queue.isEmpty()) {
				return;
			}
			if (!this.inFlight.compareAndSet(calls, calls + 1)) {
				continue;
			}
			List<Pending> batch = new ArrayList<>(Math.min(MAX_BATCH, 16));
			long now = System.nanoTime();
			Pending pending;
			while (batch.size() < MAX_BATCH && (pending = this.queue.poll()) != null) {
				if (pending.waiter.gone()) {
					continue;
				}
				if (now - pending.deadline >= 0) {
					TimeoutException timeout = new TimeoutException(
							"The rate limit take waited its whole Redis timeout");
					this.breaker.onError(this.callTimeout.toNanos(), TimeUnit.NANOSECONDS, timeout);
					pending.waiter.failed(timeout);
				}
				else {
					batch.add(pending);
				}
			}
			if (batch.isEmpty()) {
				this.inFlight.decrementAndGet();
				continue;
			}
			send(batch);
		}
	}

	private void send(List<Pending> batch) {
		if (!this.breaker.tryAcquirePermission()) {
			CallNotPermittedException open = CallNotPermittedException.createCallNotPermittedException(this.breaker);
			for (Pending pending : batch) {
				pending.waiter.failed(open);
			}
			this.inFlight.decrementAndGet();
			return;
		}
		this.takesPerCall.record(batch.size());
		// the bucket lists the batch names, once each (a batch of anonymous reads: one)
		List<RateLimitPolicy.Shared> lists = new ArrayList<>(4);
		List<RateLimitPolicy.Shared> ofCharges = new ArrayList<>(batch.size() + 4);
		int listArguments = 1;
		int takeArguments = 0;
		for (Pending pending : batch) {
			takeArguments += 1 + pending.charges.size();
			for (Charge charge : pending.charges) {
				RateLimitPolicy.Shared shared = charge.policy().shared(charge.buckets());
				ofCharges.add(shared);
				if (position(lists, shared) == 0) {
					lists.add(shared);
					listArguments += shared.argumentBytes().length;
				}
			}
		}
		byte[][] keys = new byte[ofCharges.size()][];
		byte[][] arguments = new byte[listArguments + takeArguments][];
		int a = 0;
		arguments[a++] = number(lists.size(), false);
		for (RateLimitPolicy.Shared shared : lists) {
			byte[][] described = shared.argumentBytes();
			System.arraycopy(described, 0, arguments, a, described.length);
			a += described.length;
		}
		int k = 0;
		for (Pending pending : batch) {
			arguments[a++] = number(pending.charges.size(), false);
			for (Charge charge : pending.charges) {
				RateLimitPolicy.Shared shared = ofCharges.get(k);
				keys[k++] = key(pending.subject, shared).getBytes(StandardCharsets.UTF_8);
				arguments[a++] = number(position(lists, shared), charge.shadow());
			}
		}
		long start = System.nanoTime();
		// the oldest take of the batch is its first
		long left = Math.max(batch.get(0).deadline - start, MIN_WAIT_NANOS);
		this.scripts.run(TAKE, keys, arguments).orTimeout(left, TimeUnit.NANOSECONDS).whenComplete((reply, failure) -> {
			long took = System.nanoTime() - start;
			Throwable cause = (failure != null) ? ScriptConnection.unwrap(failure)
					: (reply == null) ? new IllegalStateException("The rate limit script answered nothing") : null;
			if (cause == null) {
				// the breaker counts takes, as when every request asked Redis itself
				for (int i = 0; i < batch.size(); i++) {
					this.breaker.onSuccess(took, TimeUnit.NANOSECONDS);
				}
				answer(batch, reply);
			}
			else {
				for (Pending pending : batch) {
					this.breaker.onError(took, TimeUnit.NANOSECONDS, cause);
					pending.waiter.failed(cause);
				}
			}
			this.inFlight.decrementAndGet();
			drain();
		});
	}

	/** the list's position from 1, 0 when it is not there (a few lists at most) */
	private static int position(List<RateLimitPolicy.Shared> lists, RateLimitPolicy.Shared shared) {
		for (int i = 0; i < lists.size(); i++) {
			if (lists.get(i) == shared) {
				return i + 1;
			}
		}
		return 0;
	}

	private static byte[] number(int value, boolean negative) {
		if (value < NUMBERS.length) {
			return negative ? NEGATIVES[value] : NUMBERS[value];
		}
		return Integer.toString(negative ? -value : value).getBytes(StandardCharsets.US_ASCII);
	}

	private static void answer(List<Pending> batch, List<?> reply) {
		Map<EventExecutor, List<Pending>> elsewhere = null;
		int i = 0;
		for (Pending pending : batch) {
			List<Take> takes = new ArrayList<>(2);
			for (Charge charge : pending.charges) {
				for (Bucket bucket : charge.buckets()) {
					takes.add(new Take(charge, bucket, number(reply, i) == 1, number(reply, i + 1),
							number(reply, i + 2), number(reply, i + 3)));
					i += 4;
				}
			}
			pending.verdict = new Verdict(List.copyOf(takes), false);
			if (pending.loop == null || pending.loop.inEventLoop()) {
				pending.answer();
			}
			else {
				if (elsewhere == null) {
					elsewhere = new IdentityHashMap<>(4);
				}
				elsewhere.computeIfAbsent(pending.loop, (loop) -> new ArrayList<>()).add(pending);
			}
		}
		if (elsewhere != null) {
			elsewhere.forEach(RedisBuckets::answerOn);
		}
	}

	/** one task on the loop for all its requests' answers */
	private static void answerOn(EventExecutor loop, List<Pending> answered) {
		try {
			loop.execute(() -> answered.forEach(Pending::answer));
		}
		catch (RejectedExecutionException shuttingDown) {
			answered.forEach(Pending::answer);
		}
	}

	/**
	 * A take waiting for its script call.
	 */
	private static final class Pending {

		final String subject;

		final List<Charge> charges;

		final Waiter waiter;

		/** the event loop that waits for the answer, or {@code null} */
		final EventExecutor loop;

		/** {@link System#nanoTime()} after which the take is not worth sending */
		final long deadline;

		Verdict verdict;

		Pending(String subject, List<Charge> charges, Waiter waiter, EventExecutor loop, long deadline) {
			this.subject = subject;
			this.charges = charges;
			this.waiter = waiter;
			this.loop = loop;
			this.deadline = deadline;
		}

		void answer() {
			this.waiter.verdict(this.verdict);
		}

	}

	/**
	 * Gives back what the charges of one subject took.
	 */
	Mono<Void> giveBack(String subject, List<Charge> charges) {
		List<String> keys = new ArrayList<>();
		List<String> arguments = new ArrayList<>();
		describe(subject, charges, keys, arguments);
		return this.availability.guard(this.redis.execute(GIVE_BACK, keys, arguments).then());
	}

	/**
	 * The give-back script's keys, one per charge, and per charge its cost and buckets.
	 */
	private static void describe(String subject, List<Charge> charges, List<String> keys, List<String> arguments) {
		for (Charge charge : charges) {
			RateLimitPolicy.Shared shared = charge.policy().shared(charge.buckets());
			keys.add(key(subject, shared));
			arguments.addAll(shared.arguments());
		}
	}

	static String key(String subject, RateLimitPolicy.Shared shared) {
		return "ratelimit:{" + subject + "}:" + shared.keySuffix();
	}

	private static long number(List<?> reply, int index) {
		return ((Number) reply.get(index)).longValue();
	}

}
