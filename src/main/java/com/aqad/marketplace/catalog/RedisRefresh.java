package com.aqad.marketplace.catalog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Puts products changed outside the catalog's own writes (orders, cancellations) in Redis
 * again, in the background: the changed rows are read in one query and stored by
 * compare-and-set. Products named while a refresh runs are folded into the next one, so a
 * flash sale costs at most one query in flight per instance, not one per order. A failed
 * refresh is retried a second later.
 */
@Component
class RedisRefresh {

	private static final Logger log = LoggerFactory.getLogger(RedisRefresh.class);

	private static final int BATCH = 500;

	private static final Duration RETRY = Duration.ofSeconds(1);

	private final ProductRepository products;

	private final CatalogCache cache;

	private final NearCache near;

	private final Set<UUID> stale = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean running = new AtomicBoolean();

	RedisRefresh(ProductRepository products, CatalogCache cache, NearCache near) {
		this.products = products;
		this.cache = cache;
		this.near = near;
	}

	void productsChanged(Collection<UUID> ids) {
		this.stale.addAll(ids);
		next();
	}

	private void next() {
		if (this.stale.isEmpty() || !this.running.compareAndSet(false, true)) {
			return;
		}
		List<UUID> batch = new ArrayList<>();
		for (Iterator<UUID> ids = this.stale.iterator(); ids.hasNext() && batch.size() < BATCH;) {
			batch.add(ids.next());
			ids.remove();
		}
		this.products.findAllById(batch).flatMap((product) -> {
			this.near.offer(product);
			return this.cache.storeProduct(product);
		}).then().onErrorResume((failure) -> {
			log.warn("Refreshing {} cached products failed ({}); retrying", batch.size(), failure.toString());
			this.stale.addAll(batch);
			return Mono.delay(RETRY).then();
		}).doFinally((signal) -> {
			this.running.set(false);
			next();
		}).subscribe();
	}

}
