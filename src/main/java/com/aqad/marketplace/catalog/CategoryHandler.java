package com.aqad.marketplace.catalog;

import reactor.core.publisher.Mono;

import com.aqad.marketplace.platform.web.Page;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Public category reads.
 */
@Component
class CategoryHandler {

	private final CatalogService catalog;

	CategoryHandler(CatalogService catalog) {
		this.catalog = catalog;
	}

	/**
	 * All categories, in the list envelope (always one page: the tree is small).
	 */
	Mono<ServerResponse> list(ServerRequest request) {
		return this.catalog.categories()
			.flatMap((all) -> ServerResponse.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(new Page<>(all, null)));
	}

}
