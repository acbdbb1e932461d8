package com.aqad.marketplace.catalog;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import com.aqad.marketplace.platform.cache.Ttl;
import com.aqad.marketplace.platform.redis.RedisAvailability;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * The catalog's Redis cache: how entries are named, encoded, read and written.
 * <ul>
 * <li>A product is stored as {@code version:json} (an unknown id as {@code -1:}) and only
 * ever replaced by a higher version, atomically in Redis, so a slow reader can never put
 * back an older product over a write's newer one.</li>
 * <li>Lists and categories are stored under a generation number that every listing change
 * increments: a write makes all older pages unreachable at once, and a load that started
 * before the write stores its result under the old generation, where no one reads
 * it.</li>
 * </ul>
 * Every call gives up after {@code redis-timeout}; callers then use PostgreSQL.
 */
@Component
class CatalogCache {

	private static final Logger log = LoggerFactory.getLogger(CatalogCache.class);

	private static final String GENERATION = "catalog:gen";

	private static final long ABSENT = -1;

	private static final RedisScript<Long> SET_IF_NEWER = RedisScript.of("""
			local current = redis.call('GET', KEYS[1])
			if current then
			  local version = tonumber(string.match(current, '^(-?%d+):'))
			  if version and version >= tonumber(ARGV[1]) then return 0 end
			end
			redis.call('SET', KEYS[1], ARGV[1] .. ':' .. ARGV[2], 'PX', ARGV[3])
			return 1
			""", Long.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> READ_GENERATION = RedisScript.of("""
			local generation = redis.call('GET', KEYS[1]) or '0'
			return {generation, redis.call('GET', ARGV[1] .. generation .. ':' .. ARGV[2])}
			""", List.class);

	private final ReactiveStringRedisTemplate redis;

	private final RedisAvailability availability;

	private final JsonMapper json;

	private final Duration timeout;

	private final CircuitBreaker breaker;

	private final Ttl productTtl;

	private final Ttl absentTtl;

	private final Ttl listTtl;

	private final Ttl categoriesTtl;

	CatalogCache(ReactiveStringRedisTemplate redis, RedisAvailability availability, JsonMapper json,
			CatalogProperties properties, MeterRegistry meters) {
		this.redis = redis;
		this.availability = availability;
		this.json = json;
		CatalogProperties.Cache cache = properties.cache();
		this.timeout = cache.redisTimeout();
		this.breaker = breaker(cache, meters);
		this.productTtl = new Ttl(cache.productTtl(), cache.jitter());
		this.absentTtl = new Ttl(cache.absentTtl(), cache.jitter());
		this.listTtl = new Ttl(cache.listTtl(), cache.jitter());
		this.categoriesTtl = new Ttl(cache.categoriesTtl(), cache.jitter());
	}

	Mono<Lookup<Product>> product(UUID id) {
		return this.availability.guard(this.redis.opsForValue().get(productKey(id)))
			.map(this::decodeProduct)
			.defaultIfEmpty(new Lookup.Miss<>(0))
			.timeout(this.timeout)
			.transformDeferred(CircuitBreakerOperator.of(this.breaker))
			.onErrorResume(this::unavailable);
	}

	/**
	 * Stores a product unless the cache already holds this or a later version.
	 */
	Mono<Void> storeProduct(Product product) {
		return setIfNewer(productKey(product.id()), product.version(), this.json.writeValueAsString(product),
				this.productTtl);
	}

	Mono<Void> storeAbsent(UUID id) {
		return setIfNewer(productKey(id), ABSENT, "", this.absentTtl);
	}

	/**
	 * A list page's JSON, as it is answered.
	 */
	Mono<Lookup<String>> page(String queryKey) {
		return readUnderGeneration("catalog:list:", queryKey);
	}

	Mono<Void> storePage(long generation, String queryKey, String json) {
		return store("catalog:list:" + generation + ":" + queryKey, json, this.listTtl);
	}

	/**
	 * The category list's JSON, as it is answered.
	 */
	Mono<Lookup<String>> categories() {
		return readUnderGeneration("catalog:categories:", "all");
	}

	Mono<Void> storeCategories(long generation, String json) {
		return store("catalog:categories:" + generation + ":all", json, this.categoriesTtl);
	}

	/**
	 * Makes every cached list page and category list unreachable.
	 */
	Mono<Void> invalidateListings() {
		return this.availability.guard(this.redis.opsForValue().increment(GENERATION))
			.timeout(this.timeout)
			.transformDeferred(CircuitBreakerOperator.of(this.breaker))
			.then();
	}

	private Mono<Void> setIfNewer(String key, long version, String value, Ttl ttl) {
		return this.availability
			.guard(this.redis.execute(SET_IF_NEWER, List.of(key),
					List.of(Long.toString(version), value, Long.toString(ttl.nextMillis())))
				.then())
			.timeout(this.timeout)
			.transformDeferred(CircuitBreakerOperator.of(this.breaker));
	}

	private Mono<Void> store(String key, String json, Ttl ttl) {
		return this.availability.guard(this.redis.opsForValue().set(key, json, Duration.ofMillis(ttl.nextMillis())))
			.timeout(this.timeout)
			.transformDeferred(CircuitBreakerOperator.of(this.breaker))
			.then();
	}

	private Mono<Lookup<String>> readUnderGeneration(String prefix, String suffix) {
		return this.availability
			.guard(this.redis.execute(READ_GENERATION, List.of(GENERATION), List.of(prefix, suffix)).next())
			.map((result) -> {
				long generation = Long.parseLong((String) result.get(0));
				if (result.size() < 2 || result.get(1) == null) {
					return (Lookup<String>) new Lookup.Miss<String>(generation);
				}
				return (Lookup<String>) new Lookup.Hit<>((String) result.get(1));
			})
			.timeout(this.timeout)
			.transformDeferred(CircuitBreakerOperator.of(this.breaker))
			.onErrorResume(this::unavailable);
	}

	private Lookup<Product> decodeProduct(String entry) {
		int colon = entry.indexOf(':');
		if (entry.startsWith("-")) {
			return new Lookup.Absent<>();
		}
		try {
			return new Lookup.Hit<>(this.json.readValue(entry.substring(colon + 1), Product.class));
		}
		catch (JacksonException | StringIndexOutOfBoundsException ex) {
			log.warn("Unreadable cached product, reloading it");
			return new Lookup.Miss<>(0);
		}
	}

	private <T> Mono<Lookup<T>> unavailable(Throwable failure) {
		log.debug("Catalog cache unavailable: {}", failure.toString());
		return Mono.just(new Lookup.Unavailable<>());
	}

	/**
	 * After half of the last 10 calls (at least 5) failed or timed out, Redis is skipped
	 * for {@code breaker-open-for}: a hung Redis then costs reads nothing instead of
	 * {@code redis-timeout} each; a few trial calls close it again.
	 */
	private static CircuitBreaker breaker(CatalogProperties.Cache cache, MeterRegistry meters) {
		CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(10)
			.minimumNumberOfCalls(5)
			.failureRateThreshold(50)
			.waitDurationInOpenState(cache.breakerOpenFor())
			.permittedNumberOfCallsInHalfOpenState(3)
			.writableStackTraceEnabled(false)
			.build());
		TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
		CircuitBreaker breaker = registry.circuitBreaker("catalog-cache");
		breaker.getEventPublisher()
			.onStateTransition((event) -> log.warn("Catalog cache breaker: {}", event.getStateTransition()));
		return breaker;
	}

	CircuitBreaker.State breakerState() {
		return this.breaker.getState();
	}

	private static String productKey(UUID id) {
		return "catalog:product:" + id;
	}

}
