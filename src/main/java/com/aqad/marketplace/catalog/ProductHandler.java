package com.aqad.marketplace.catalog;

import java.util.UUID;

import reactor.core.publisher.Mono;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Public product reads: validated queries in, JSON out.
 */
@Component
class ProductHandler {

	private final CatalogService catalog;

	private final CatalogProperties properties;

	ProductHandler(CatalogService catalog, CatalogProperties properties) {
		this.catalog = catalog;
		this.properties = properties;
	}

	Mono<ServerResponse> list(ServerRequest request) {
		ProductQuery query = ProductQuery.parse(request.queryParams(), this.properties);
		return this.catalog.products(query)
			.flatMap((page) -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(page));
	}

	Mono<ServerResponse> get(ServerRequest request) {
		UUID id = productId(request);
		return this.catalog.publicProduct(id)
			.flatMap((product) -> request.checkNotModified(product.etag())
				.switchIfEmpty(Mono.defer(() -> ServerResponse.ok()
					.contentType(MediaType.APPLICATION_JSON)
					.eTag(product.etag())
					.cacheControl(CacheControl.noCache())
					.bodyValue(product))));
	}

	/**
	 * Ids are opaque to clients: one that is not even a UUID names no product (404).
	 */
	private static UUID productId(ServerRequest request) {
		String value = request.pathVariable("id");
		try {
			UUID id = UUID.fromString(value);
			if (id.toString().equalsIgnoreCase(value)) {
				return id;
			}
		}
		catch (IllegalArgumentException ex) {
			// not a product id
		}
		throw new ProductNotFound();
	}

}
