package com.aqad.marketplace.catalog;

import java.util.List;
import java.util.UUID;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import com.aqad.marketplace.identity.Caller;
import com.aqad.marketplace.identity.SecurityEvents;
import com.aqad.marketplace.platform.web.ApiException;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Product and category writes. Ownership is checked against the row in PostgreSQL (never
 * a cached copy), {@code If-Match} is enforced by the UPDATE itself, and a write is
 * acknowledged only after the cache holds its result, so any later read on any instance
 * shows it.
 */
@Service
class CatalogWrites {

	private final ProductRepository products;

	private final CategoryRepository categories;

	private final CatalogService catalog;

	private final SecurityEvents events;

	private final List<StockWatcher> stockWatchers;

	CatalogWrites(ProductRepository products, CategoryRepository categories, CatalogService catalog,
			SecurityEvents events, List<StockWatcher> stockWatchers) {
		this.stockWatchers = List.copyOf(stockWatchers);
		this.products = products;
		this.categories = categories;
		this.catalog = catalog;
		this.events = events;
	}

	Mono<Product> create(Caller vendor, ProductDraft draft) {
		return requireCategory(draft.categoryId()).then(this.products.insert(vendor.organizationId(), draft))
			.onErrorMap(DuplicateKeyException.class,
					(ex) -> new ApiException(HttpStatus.CONFLICT, "sku_taken",
							"This vendor already has a product with sku '" + draft.sku() + "'."))
			.flatMap(this::published);
	}

	/**
	 * Changes a product the caller may change; {@code ifMatch} null means unconditional.
	 */
	Mono<Product> update(Caller caller, UUID id, IfMatch ifMatch, ProductChanges changes) {
		return this.products.findById(id).switchIfEmpty(Mono.error(ProductNotFound::new)).flatMap((current) -> {
			switch (ProductRules.change(caller, current)) {
				case HIDE -> {
					return Mono.error(new ProductNotFound());
				}
				case FORBID -> {
					this.events.record("access_denied", "action", "product_change", "product", id, "caller",
							caller.accountId());
					return Mono.error(new ApiException(HttpStatus.FORBIDDEN, "forbidden",
							"Only the vendor that owns this product, or an administrator, may change it."));
				}
				case ALLOW -> {
				}
			}
			if (ifMatch != null && !ifMatch.matches(current.etag())) {
				return Mono.error(IfMatch.failed());
			}
			Mono<Void> category = (changes.categoryId() != null) ? requireCategory(changes.categoryId()) : Mono.empty();
			return category.then(this.products.update(id, changes, (ifMatch != null) ? current.version() : null))
				// changed by someone else between our read and our update
				.switchIfEmpty(Mono.error(IfMatch::failed))
				.flatMap((updated) -> (updated.stock() > current.stock()) ? stockRaised(updated) : Mono.just(updated))
				.flatMap(this::published);
		});
	}

	Mono<Category> createCategory(String name, String slug, UUID parentId) {
		Mono<Void> parent = (parentId != null) ? this.categories.exists(parentId)
			.flatMap((exists) -> exists ? Mono.<Void>empty()
					: Mono.error(ApiException.invalid("parentId", "no category has this id")))
				: Mono.empty();
		return parent.then(this.categories.insert(name, slug, parentId))
			.onErrorMap(DuplicateKeyException.class,
					(ex) -> new ApiException(HttpStatus.CONFLICT, "slug_taken", "A category has this slug already."))
			.flatMap((category) -> this.catalog.listingsChanged().thenReturn(category));
	}

	private Mono<Void> requireCategory(UUID categoryId) {
		return this.categories.exists(categoryId)
			.flatMap((exists) -> exists ? Mono.<Void>empty()
					: Mono.error(ApiException.invalid("categoryId", "no category has this id")))
			.onErrorMap(DataIntegrityViolationException.class,
					(ex) -> ApiException.invalid("categoryId", "no category has this id"));
	}

	private Mono<Product> stockRaised(Product product) {
		return Flux.fromIterable(this.stockWatchers)
			.concatMap((watcher) -> watcher.stockRaised(product.id()))
			.then(Mono.just(product));
	}

	private Mono<Product> published(Product product) {
		return this.catalog.productChanged(product).then(this.catalog.listingsChanged()).thenReturn(product);
	}

}
