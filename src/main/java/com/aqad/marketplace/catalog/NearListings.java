package com.aqad.marketplace.catalog;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * List pages and the category list held in this process for a short time
 * ({@code list-near-ttl}, 1 s by default) in front of Redis: a hot first page costs no
 * Redis round trip and no thread hop. A listing change made through this instance drops
 * them at once ({@link #clear}); other instances' copies age out within the TTL, the time
 * a shared cache in front may serve them anyway ({@code public-max-age}). A page loaded
 * before a change is never kept after it.
 */
final class NearListings {

	private final Cache<String, CachedJson> pages;

	/** moves with every clear: a load that began before it keeps its page to itself */
	private final AtomicLong epoch = new AtomicLong();

	NearListings(Duration ttl, long maximumSize) {
		this.pages = Caffeine.newBuilder()
			.maximumSize(ttl.isZero() ? 0 : maximumSize)
			.expireAfterWrite(ttl)
			.executor(Runnable::run)
			.build();
	}

	CachedJson get(String key) {
		return this.pages.getIfPresent(key);
	}

	/**
	 * Where a load begins: the epoch to hand to {@link #keep} with its page.
	 */
	long epoch() {
		return this.epoch.get();
	}

	/**
	 * Keeps a page that a load begun at {@code epoch} produced, unless listings changed
	 * since.
	 */
	CachedJson keep(String key, CachedJson page, long epoch) {
		if (this.epoch.get() == epoch) {
			this.pages.put(key, page);
			if (this.epoch.get() != epoch) {
				this.pages.invalidate(key);
			}
		}
		return page;
	}

	void clear() {
		this.epoch.incrementAndGet();
		this.pages.invalidateAll();
	}

}
