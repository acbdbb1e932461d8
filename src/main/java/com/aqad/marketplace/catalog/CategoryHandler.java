package com.aqad.marketplace.catalog;

import java.util.UUID;

import io.netty.util.AsciiString;
import reactor.core.publisher.Mono;

import com.aqad.marketplace.platform.web.ApiException;
import com.aqad.marketplace.platform.web.ConnectionLoop;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Category reads (public) and additions (administrators).
 */
@Component
class CategoryHandler {

	private final CatalogService catalog;

	private final CatalogWrites writes;

	private final AsciiString sharedCaching;

	CategoryHandler(CatalogService catalog, CatalogWrites writes, CatalogProperties properties) {
		this.catalog = catalog;
		this.sharedCaching = JsonAnswer.caching(properties.cache().sharedCaching());
		this.writes = writes;
	}

	record NewCategory(String name, String slug, UUID parentId) {
	}

	Mono<ServerResponse> create(ServerRequest request) {
		return request.bodyToMono(NewCategory.class)
			.switchIfEmpty(Mono.error(ApiException::missingBody))
			.flatMap((body) -> {
				ProductInput.checkCategory(body.name(), body.slug());
				return this.writes.createCategory(body.name().strip(), body.slug(), body.parentId());
			})
			.flatMap((category) -> ServerResponse.status(HttpStatus.CREATED)
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(category));
	}

	/**
	 * All categories, in the list envelope (always one page: the tree is small).
	 */
	Mono<ServerResponse> list(ServerRequest request) {
		return ConnectionLoop.backTo(request.exchange(), this.catalog.categories())
			.<ServerResponse>map((all) -> new JsonAnswer(all, this.sharedCaching));
	}

}
