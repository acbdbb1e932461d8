package com.aqad.marketplace.catalog;

import java.time.Duration;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Products kept in this process, in front of Redis, with their JSON already written: a
 * hit costs no I/O, no thread hop and no serialization.
 * <p>
 * Freshness: every change to a product is notified by PostgreSQL to every instance as its
 * id and new version ({@link ProductChangeListener}). A notification replaces whatever is
 * held for the id by a {@link Changed} mark carrying that version, unless a copy at least
 * that new is held already. A mark refuses every older copy, from Redis or from a load
 * that started before the change, so an older representation never replaces a newer one,
 * and a Redis entry older than the mark is treated as a miss (and replaced from
 * PostgreSQL). Marks live as long as a Redis entry could. While this instance is not
 * listening (before the first {@code LISTEN}, after a lost connection) nothing is held or
 * served from here: it could have missed changes.
 */
@Component
final class NearCache {

	private final Cache<UUID, Entry> entries;

	private final JsonMapper json;

	private volatile boolean listening;

	NearCache(CatalogProperties catalog, JsonMapper json, MeterRegistry meters) {
		CatalogProperties.Cache properties = catalog.cache();
		this.json = json;
		Duration fresh = properties.nearTtl();
		// a Redis entry lives at most product-ttl plus its jitter: a mark must outlive it
		Duration mark = properties.productTtl().multipliedBy(2);
		this.entries = Caffeine.newBuilder()
			.maximumSize(properties.nearMaxSize())
			.expireAfter(Expiry.<UUID, Entry>writing((id, entry) -> (entry instanceof Fresh) ? fresh : mark))
			.recordStats()
			.build();
		CaffeineCacheMetrics.monitor(meters, this.entries, "catalog.product.near");
	}

	/**
	 * The product held for {@code id}, or {@code null}.
	 */
	Fresh fresh(UUID id) {
		return (this.listening && this.entries.getIfPresent(id) instanceof Fresh fresh) ? fresh : null;
	}

	/**
	 * The lowest version a copy of the product must have to be served: what the latest
	 * notification said, or {@code -1} when none is known.
	 */
	long minimumVersion(UUID id) {
		return (this.entries.getIfPresent(id) instanceof Changed changed) ? changed.version() : -1;
	}

	/**
	 * The representation of {@code product} to serve, kept for later readers unless a
	 * newer copy or a newer change is known.
	 */
	Fresh offer(Product product) {
		Fresh offered = new Fresh(product, this.json.writeValueAsBytes(product), product.etag());
		if (!this.listening) {
			return offered;
		}
		Entry kept = this.entries.asMap().compute(product.id(), (id, held) -> switch (held) {
			case null -> offered;
			case Fresh current -> (current.product().version() >= product.version()) ? current : offered;
			case Changed changed -> (changed.version() > product.version()) ? changed : offered;
		});
		return (kept instanceof Fresh fresh && fresh.product().version() >= product.version()) ? fresh : offered;
	}

	/**
	 * PostgreSQL says the product is now at {@code version}.
	 */
	void changed(UUID id, long version) {
		this.entries.asMap().compute(id, (key, held) -> switch (held) {
			case null -> new Changed(version);
			case Fresh current -> (current.product().version() >= version) ? current : new Changed(version);
			case Changed changed -> (changed.version() >= version) ? changed : new Changed(version);
		});
	}

	/**
	 * Listening from now on, or no longer: either way what is held may have missed
	 * changes, so it is all dropped.
	 */
	void listening(boolean listening) {
		this.listening = false;
		this.entries.invalidateAll();
		this.listening = listening;
	}

	boolean isListening() {
		return this.listening;
	}

	sealed interface Entry {

	}

	/**
	 * A product, its JSON and its entity tag (made once, not per read).
	 */
	record Fresh(Product product, byte[] json, String etag) implements Entry {

	}

	/**
	 * The product changed to {@code version}; nothing older may be held or served.
	 */
	record Changed(long version) implements Entry {

	}

}
