package com.aqad.marketplace.platform.cache;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;

/**
 * Coalesces concurrent loads of one key on this instance: while a load runs, every other
 * caller for the same key subscribes to it instead of starting its own. The guard against
 * cache stampedes: N concurrent misses of a hot key cost one load.
 *
 * @param <K> the key
 * @param <V> the loaded value
 */
public final class SingleFlight<K, V> {

	private final Map<K, Mono<V>> inFlight = new ConcurrentHashMap<>();

	public Mono<V> load(K key, Supplier<Mono<V>> loader) {
		return Mono.defer(() -> this.inFlight.computeIfAbsent(key, (k) -> flight(k, loader)));
	}

	private Mono<V> flight(K key, Supplier<Mono<V>> loader) {
		return Mono.defer(loader).doFinally((signal) -> this.inFlight.remove(key)).cache();
	}

	int inFlight() {
		return this.inFlight.size();
	}

}
