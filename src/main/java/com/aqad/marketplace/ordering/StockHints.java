package com.aqad.marketplace.ordering;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import reactor.core.publisher.Mono;

import com.aqad.marketplace.catalog.StockWatcher;
import com.aqad.marketplace.platform.redis.RedisAvailability;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * "Sold out" hints in Redis, shared by every instance: once an order finds a product sold
 * out, orders for it are refused without opening a database transaction until the hint
 * expires, or at once when stock comes back through the API (a restock or a cancelled
 * order). A hint can only refuse an order the database would refuse too, give or take its
 * expiry after a restock made outside the API; it never accepts one: only the database
 * does. Without Redis there are no hints, and every order asks the database.
 */
@Component
class StockHints implements StockWatcher {

	private static final Duration REDIS_TIMEOUT = Duration.ofMillis(100);

	private final ReactiveStringRedisTemplate redis;

	private final RedisAvailability availability;

	private final Duration ttl;

	StockHints(ReactiveStringRedisTemplate redis, RedisAvailability availability, OrderingProperties properties) {
		this.redis = redis;
		this.availability = availability;
		this.ttl = properties.soldOutHint();
	}

	/**
	 * Which of these products are known to be sold out (none when Redis cannot say).
	 */
	Mono<Set<UUID>> soldOut(List<UUID> products) {
		if (this.ttl.isZero()) {
			return Mono.just(Set.of());
		}
		List<String> keys = products.stream().map(StockHints::key).toList();
		return this.availability.guard(this.redis.opsForValue().multiGet(keys)).timeout(REDIS_TIMEOUT).map((values) -> {
			java.util.HashSet<UUID> soldOut = new java.util.HashSet<>();
			for (int i = 0; i < values.size(); i++) {
				if (values.get(i) != null) {
					soldOut.add(products.get(i));
				}
			}
			return (Set<UUID>) soldOut;
		}).onErrorResume((ex) -> Mono.just(Set.of()));
	}

	Mono<Void> markSoldOut(Collection<UUID> products) {
		if (this.ttl.isZero() || products.isEmpty()) {
			return Mono.empty();
		}
		return Mono
			.when(products.stream()
				.map((product) -> this.availability.guard(this.redis.opsForValue().set(key(product), "0", this.ttl)))
				.collect(Collectors.toList()))
			.timeout(REDIS_TIMEOUT)
			.onErrorResume((ex) -> Mono.empty());
	}

	/**
	 * Stock came back: orders for these products go to the database again.
	 */
	Mono<Void> restocked(Collection<UUID> products) {
		if (products.isEmpty()) {
			return Mono.empty();
		}
		return this.availability.guard(this.redis.delete(products.stream().map(StockHints::key).toArray(String[]::new)))
			.timeout(REDIS_TIMEOUT)
			.onErrorResume((ex) -> Mono.empty())
			.then();
	}

	@Override
	public Mono<Void> stockRaised(UUID productId) {
		return restocked(List.of(productId));
	}

	private static String key(UUID product) {
		return "ordering:sold-out:" + product;
	}

}
