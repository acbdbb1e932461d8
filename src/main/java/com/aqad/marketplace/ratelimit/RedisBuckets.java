package com.aqad.marketplace.ratelimit;

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
import reactor.core.publisher.MonoSink;

import com.aqad.marketplace.platform.redis.RedisAvailability;
import com.aqad.marketplace.platform.web.ContextAnchor;
import com.aqad.marketplace.ratelimit.RateLimitPolicy.Bucket;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * The shared buckets: one Lua script takes tokens from every bucket of a subject at once,
 * on Redis's own clock, or from none of them. Each bucket is one key holding its
 * "theoretical arrival time" (GCRA): the moment it would be full again, which expires by
 * itself.
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
 */
@Component
class RedisBuckets {

	/** the circuit breaker around the script calls, by name */
	static final String BREAKER = "ratelimit-redis";

	/**
	 * KEYS: the buckets of every take in the batch. ARGV per take: its number of buckets
	 * n, then per bucket: cost, capacity, period (ms), enforced (1/0). Returns per
	 * bucket: granted (1/0), remaining, reset (ms), retry (ms). A take takes only when
	 * every enforced bucket of it can give; shadow buckets give when they can.
	 */
	private static final RedisScript<List> TAKE = RedisScript.of("""
			local t = redis.call('TIME')
			local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
			local out = {}
			local k, a = 0, 0
			while a < #ARGV do
			  a = a + 1
			  local n = tonumber(ARGV[a])
			  local level, after, ok = {}, {}, {}
			  local allowed = true
			  for i = 1, n do
			    local b = a + (i - 1) * 4
			    local cost, capacity, period = tonumber(ARGV[b + 1]), tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3])
			    local tat = tonumber(redis.call('GET', KEYS[k + i]) or now)
			    if tat < now then tat = now end
			    level[i] = tat
			    after[i] = tat + cost * period / capacity
			    ok[i] = after[i] - now <= period
			    if not ok[i] and ARGV[b + 4] == '1' then allowed = false end
			  end
			  for i = 1, n do
			    local b = a + (i - 1) * 4
			    local capacity, period = tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3])
			    local tat = level[i]
			    if allowed and ok[i] then
			      tat = after[i]
			      redis.call('SET', KEYS[k + i], string.format('%.3f', tat), 'PX', math.max(1, math.ceil(tat - now)))
			    end
			    out[#out + 1] = ok[i] and 1 or 0
			    out[#out + 1] = math.max(0, math.floor((period - (tat - now)) * capacity / period + 1e-6))
			    out[#out + 1] = math.ceil(tat - now)
			    out[#out + 1] = ok[i] and 0 or math.ceil(after[i] - now - period)
			  end
			  k = k + n
			  a = a + n * 4
			end
			return out
			""", List.class);

	/** takes sent in one script call at most */
	private static final int MAX_BATCH = 128;

	/** a call is given at least this long, even for a take about to run out of time */
	private static final long MIN_WAIT_NANOS = Duration.ofMillis(1).toNanos();

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

	RedisBuckets(ReactiveStringRedisTemplate redis, RedisAvailability availability, RateLimitProperties properties,
			MeterRegistry meters, CircuitBreakerRegistry breakers) {
		this.redis = redis;
		this.breaker = breakers.circuitBreaker(BREAKER);
		this.availability = availability;
		this.maxInFlight = properties.scriptsInFlight();
		this.callTimeout = properties.redisTimeout();
		this.takesPerCall = DistributionSummary.builder("aqad.ratelimit.script.takes")
			.description("Takes (one subject's buckets each) sent in one script call to Redis")
			.register(meters);
	}

	/**
	 * Takes from the buckets of charges that all share one subject.
	 */
	Mono<Verdict> take(String subject, List<Charge> charges, EventExecutor loop) {
		// the answer comes in a task of its own: Reactor restores the request id's thread
		// local for it on each signal, asking for the request's context each time; the
		// anchor answers at once instead of a walk through every filter above
		return ContextAnchor.anchored(Mono.create((sink) -> {
			Pending pending = new Pending(subject, charges, sink, loop, System.nanoTime() + this.callTimeout.toNanos());
			sink.onCancel(() -> pending.cancelled = true);
			this.queue.offer(pending);
			drain();
		}));
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
				if (pending.cancelled) {
					continue;
				}
				if (now - pending.deadline >= 0) {
					TimeoutException timeout = new TimeoutException(
							"The rate limit take waited its whole Redis timeout");
					this.breaker.onError(this.callTimeout.toNanos(), TimeUnit.NANOSECONDS, timeout);
					pending.sink.error(timeout);
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
				pending.sink.error(open);
			}
			this.inFlight.decrementAndGet();
			return;
		}
		this.takesPerCall.record(batch.size());
		List<String> keys = new ArrayList<>(batch.size() * 2);
		List<String> arguments = new ArrayList<>(batch.size() * 9);
		for (Pending pending : batch) {
			arguments.add(Integer.toString(buckets(pending.charges)));
			describe(pending.subject, pending.charges, keys, arguments, true);
		}
		long start = System.nanoTime();
		// the oldest take of the batch is its first
		long left = Math.max(batch.get(0).deadline - start, MIN_WAIT_NANOS);
		this.availability.guard(this.redis.execute(TAKE, keys, arguments).next())
			.timeout(Duration.ofNanos(left))
			.switchIfEmpty(Mono.error(() -> new IllegalStateException("The rate limit script answered nothing")))
			.doFinally((signal) -> {
				this.inFlight.decrementAndGet();
				drain();
			})
			.subscribe((reply) -> {
				// the breaker counts takes, as when every request asked Redis itself
				long took = System.nanoTime() - start;
				for (int i = 0; i < batch.size(); i++) {
					this.breaker.onSuccess(took, TimeUnit.NANOSECONDS);
				}
				answer(batch, reply);
			}, (failure) -> {
				long took = System.nanoTime() - start;
				for (Pending pending : batch) {
					this.breaker.onError(took, TimeUnit.NANOSECONDS, failure);
					pending.sink.error(failure);
				}
			});
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

	private static int buckets(List<Charge> charges) {
		int buckets = 0;
		for (Charge charge : charges) {
			buckets += charge.buckets().size();
		}
		return buckets;
	}

	/**
	 * A take waiting for its script call.
	 */
	private static final class Pending {

		final String subject;

		final List<Charge> charges;

		final MonoSink<Verdict> sink;

		/** the event loop that waits for the answer, or {@code null} */
		final EventExecutor loop;

		/** {@link System#nanoTime()} after which the take is not worth sending */
		final long deadline;

		volatile boolean cancelled;

		Verdict verdict;

		Pending(String subject, List<Charge> charges, MonoSink<Verdict> sink, EventExecutor loop, long deadline) {
			this.subject = subject;
			this.charges = charges;
			this.sink = sink;
			this.loop = loop;
			this.deadline = deadline;
		}

		void answer() {
			this.sink.success(this.verdict);
		}

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
