package com.aqad.marketplace.catalog;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

import com.aqad.marketplace.platform.cache.SingleFlight;
import com.aqad.marketplace.platform.web.Page;

import org.springframework.stereotype.Service;

/**
 * The catalog's read path (cache-aside over PostgreSQL) and the cache upkeep that writes
 * must call. Reads go Redis first; on a miss one load per key per instance runs at a time
 * and stores its result; when Redis is slow or down reads go straight to PostgreSQL.
 */
@Service
public class CatalogService {

	private static final Logger log = LoggerFactory.getLogger(CatalogService.class);

	/** list pages and category lists held in memory at most */
	private static final long NEAR_LISTINGS = 10_000;

	/** about ten minutes of attempts, the product TTL by default */
	private static final int CACHE_WRITE_RETRIES = 130;

	private final ProductRepository products;

	private final CategoryRepository categories;

	private final CatalogCache cache;

	private final CacheMeters productMeters;

	private final CacheMeters listMeters;

	private final CacheMeters categoryMeters;

	private final SingleFlight<UUID, Optional<Product>> productLoads = new SingleFlight<>();

	private final NearCache near;

	private final JsonMapper json;

	private final CacheMeters nearMeters;

	private final RedisRefresh refresh;

	private final SingleFlight<String, String> pageLoads = new SingleFlight<>();

	private final SingleFlight<Long, String> categoryLoads = new SingleFlight<>();

	private final NearListings nearListings;

	private final CacheMeters nearListingMeters;

	CatalogService(ProductRepository products, CategoryRepository categories, CatalogCache cache, NearCache near,
			RedisRefresh refresh, JsonMapper json, MeterRegistry meters, CatalogProperties properties) {
		this.nearListings = new NearListings(properties.cache().listNearTtl(), NEAR_LISTINGS);
		this.nearListingMeters = new CacheMeters(meters, "list-near");
		this.refresh = refresh;
		this.json = json;
		this.products = products;
		this.categories = categories;
		this.cache = cache;
		this.near = near;
		this.nearMeters = new CacheMeters(meters, "product-near");
		this.productMeters = new CacheMeters(meters, "product");
		this.listMeters = new CacheMeters(meters, "list");
		this.categoryMeters = new CacheMeters(meters, "categories");
	}

	/**
	 * Any product by id, whatever its status, with its JSON: from this process when it
	 * holds the product, else through Redis and PostgreSQL.
	 */
	Mono<NearCache.Fresh> productView(UUID id) {
		NearCache.Fresh held = this.near.fresh(id);
		if (held != null) {
			this.nearMeters.hits.increment();
			return Mono.just(held);
		}
		if (this.near.isListening()) {
			this.nearMeters.misses.increment();
		}
		return product(id, this.near.minimumVersion(id)).map(this.near::offer);
	}

	/**
	 * Any product by id, whatever its status, through Redis (this process's own copies
	 * left out).
	 */
	Mono<Product> product(UUID id) {
		return product(id, -1);
	}

	/**
	 * Any product by id, whatever its status, through Redis; a cached copy older than
	 * {@code minimumVersion} (a change this instance was notified of) counts as a miss.
	 */
	private Mono<Product> product(UUID id, long minimumVersion) {
		return this.cache.product(id).flatMap((lookup) -> switch (lookup) {
			case Lookup.Hit<Product> hit when hit.value().version() >= minimumVersion ->
				this.productMeters.hit(Mono.just(hit.value()));
			case Lookup.Absent<Product> absent -> this.productMeters.hit(Mono.empty());
			case Lookup.Hit<Product> older ->
				this.productMeters.miss(this.productLoads.load(id, () -> loadProduct(id, true)))
					.flatMap(Mono::justOrEmpty);
			case Lookup.Miss<Product> miss -> this.productMeters
				.miss(this.productLoads.load(id,
						() -> reReadOr(this.cache.product(id), minimumVersion, () -> loadProduct(id, true))))
				.flatMap(Mono::justOrEmpty);
			case Lookup.Unavailable<Product> down ->
				this.productMeters.unavailable(this.productLoads.load(id, () -> loadProduct(id, false)))
					.flatMap(Mono::justOrEmpty);
		});
	}

	/**
	 * A list page's JSON, as it is answered (cached as such: no parsing and writing
	 * again): from this process for up to {@code list-near-ttl}, else through Redis.
	 */
	Mono<CachedJson> products(ProductQuery query) {
		String key = query.cacheKey();
		return near("page:" + key, () -> this.cache.page(key).flatMap((lookup) -> switch (lookup) {
			case Lookup.Hit<String> hit -> this.listMeters.hit(Mono.just(hit.value()));
			case Lookup.Miss<String> miss -> this.listMeters.miss(this.pageLoads.load(miss.generation() + ":" + key,
					() -> loadPage(query).flatMap((page) -> this.cache.storePage(miss.generation(), key, page)
						.onErrorResume(this::ignore)
						.thenReturn(page))));
			case Lookup.Unavailable<String> down ->
				this.listMeters.unavailable(this.pageLoads.load("direct:" + key, () -> loadPage(query)));
			case Lookup.Absent<String> absent -> Mono.error(new IllegalStateException("pages are never absent"));
		}));
	}

	/**
	 * The category list's JSON (in the list envelope: one page, the tree is small).
	 */
	Mono<CachedJson> categories() {
		return near("categories", () -> this.cache.categories().flatMap((lookup) -> switch (lookup) {
			case Lookup.Hit<String> hit -> this.categoryMeters.hit(Mono.just(hit.value()));
			case Lookup.Miss<String> miss -> this.categoryMeters.miss(this.categoryLoads.load(miss.generation(),
					() -> loadCategories().flatMap((all) -> this.cache.storeCategories(miss.generation(), all)
						.onErrorResume(this::ignore)
						.thenReturn(all))));
			case Lookup.Unavailable<String> down ->
				this.categoryMeters.unavailable(this.categoryLoads.load(-1L, this::loadCategories));
			case Lookup.Absent<String> absent -> Mono.error(new IllegalStateException("never absent"));
		}));
	}

	private Mono<CachedJson> near(String key, Supplier<Mono<String>> shared) {
		CachedJson held = this.nearListings.get(key);
		if (held != null) {
			return this.nearListingMeters.hit(Mono.just(held));
		}
		long epoch = this.nearListings.epoch();
		return this.nearListingMeters
			.miss(shared.get().map((json) -> this.nearListings.keep(key, CachedJson.of(json), epoch)));
	}

	/**
	 * Call after a committed change to a product, with the row as the change left it. The
	 * cache takes it unless it already holds a later version; list pages are not touched,
	 * so stock moving with every order does not empty the cache (lists show stock up to
	 * {@code list-ttl} old). Completes when the cache has it; when Redis cannot take it
	 * now, completes at once and keeps offering the row in the background (about ten
	 * minutes), so an older cached copy cannot outlive a Redis hiccup.
	 */
	public Mono<Void> productChanged(Product product) {
		this.near.offer(product);
		return this.cache.storeProduct(product).onErrorResume((failure) -> {
			// the write is committed; the cache must not keep the older copy when Redis
			// answers again: keep offering the row (the versioned store never lets it
			// replace a newer one)
			log.warn("Catalog cache write of product {} failed ({}); retrying in the background", product.id(),
					failure.toString());
			this.cache.storeProduct(product)
				.retryWhen(Retry.backoff(CACHE_WRITE_RETRIES, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(5)))
				.subscribe(null, (gaveUp) -> log.error("Catalog cache write of product {} gave up: {}", product.id(),
						gaveUp.toString()));
			return Mono.empty();
		});
	}

	/**
	 * Call after a committed change that lists or categories show (a product created,
	 * edited, archived; a category added): every cached page and category list is
	 * dropped.
	 */
	public Mono<Void> listingsChanged() {
		// dropped before and again after the Redis generation moves: a page read from
		// Redis
		// in between (still the old generation) is not kept either
		this.nearListings.clear();
		return this.cache.invalidateListings().onErrorResume(this::ignore).doOnTerminate(this.nearListings::clear);
	}

	/**
	 * Call after committing changes to products that went around the catalog's own writes
	 * (stock taken by orders, given back by cancellations). Returns at once; the rows are
	 * put in Redis again in the background ({@link RedisRefresh}), so that instances that
	 * start later, or missed the change's notification, never read an older copy there.
	 */
	public void productsChanged(Collection<UUID> ids) {
		this.refresh.productsChanged(ids);
	}

	private Mono<Optional<Product>> loadProduct(UUID id, boolean store) {
		Mono<Optional<Product>> loaded = this.productMeters
			.load(this.products.findById(id).map(Optional::of).defaultIfEmpty(Optional.empty()));
		if (!store) {
			return loaded;
		}
		return loaded.flatMap((found) -> found.map(this.cache::storeProduct)
			.orElseGet(() -> this.cache.storeAbsent(id))
			.onErrorResume(this::ignore)
			.thenReturn(found));
	}

	/**
	 * Inside a single flight: another instance, or a flight that just ended, may have
	 * filled the cache since this caller missed; look once more before going to the
	 * database.
	 */
	private static Mono<Optional<Product>> reReadOr(Mono<Lookup<Product>> lookup, long minimumVersion,
			Supplier<Mono<Optional<Product>>> load) {
		return lookup.flatMap((again) -> switch (again) {
			case Lookup.Hit<Product> hit when hit.value().version() >= minimumVersion ->
				Mono.just(Optional.of(hit.value()));
			case Lookup.Absent<Product> absent -> Mono.just(Optional.<Product>empty());
			default -> load.get();
		});
	}

	private Mono<String> loadPage(ProductQuery query) {
		return this.listMeters.load(this.products.search(query).collectList()).map((rows) -> {
			boolean more = rows.size() > query.limit();
			List<ProductRepository.Ranked> shown = more ? rows.subList(0, query.limit()) : rows;
			String next = null;
			if (more) {
				ProductRepository.Ranked last = shown.get(shown.size() - 1);
				next = ProductCursor.after(query.sort(), last.product(), last.rank()).encode();
			}
			return this.json
				.writeValueAsString(new Page<>(shown.stream().map(ProductRepository.Ranked::product).toList(), next));
		});
	}

	private Mono<String> loadCategories() {
		return this.categoryMeters.load(this.categories.findAll().collectList())
			.map((all) -> this.json.writeValueAsString(new Page<>(all, null)));
	}

	private Mono<Void> ignore(Throwable failure) {
		log.warn("Catalog cache write failed: {}", failure.toString());
		return Mono.empty();
	}

	/**
	 * Counts cache lookups by outcome ({@code aqad.catalog.cache{cache,
	 * result=hit|miss|unavailable}}) and the database loads they led to
	 * ({@code aqad.catalog.cache.loads{cache}}): with stampede protection, loads stay at
	 * most one per key per instance at a time however many lookups miss together.
	 */
	private static final class CacheMeters {

		private final Counter hits;

		private final Counter misses;

		private final Counter unavailable;

		private final Counter loads;

		CacheMeters(MeterRegistry meters, String cache) {
			Function<String, Counter> counter = (result) -> Counter.builder("aqad.catalog.cache")
				.description("Catalog cache lookups by outcome")
				.tag("cache", cache)
				.tag("result", result)
				.register(meters);
			this.hits = counter.apply("hit");
			this.misses = counter.apply("miss");
			this.unavailable = counter.apply("unavailable");
			this.loads = Counter.builder("aqad.catalog.cache.loads")
				.description("Database loads made by catalog cache lookups")
				.tag("cache", cache)
				.register(meters);
		}

		<T> Mono<T> load(Mono<T> query) {
			return Mono.defer(() -> {
				this.loads.increment();
				return query;
			});
		}

		<T> Mono<T> hit(Mono<T> value) {
			this.hits.increment();
			return value;
		}

		<T> Mono<T> miss(Mono<T> load) {
			this.misses.increment();
			return load;
		}

		<T> Mono<T> unavailable(Mono<T> load) {
			this.unavailable.increment();
			return load;
		}

	}

}
