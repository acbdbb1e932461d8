package com.aqad.marketplace.catalog;

import java.util.UUID;

import io.netty.util.AsciiString;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import com.aqad.marketplace.identity.Caller;
import com.aqad.marketplace.platform.web.ApiException;
import com.aqad.marketplace.platform.web.ConnectionLoop;
import com.aqad.marketplace.platform.web.Ids;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Product reads and writes: validated input in, JSON out.
 */
@Component
class ProductHandler {

	private final CatalogService catalog;

	private final CatalogWrites writes;

	private final CatalogProperties properties;

	/**
	 * What shared caches may do with a catalog read; an authenticated answer is
	 * {@code no-store} whatever a handler says (the security chain sees to it).
	 */
	private final AsciiString sharedCaching;

	ProductHandler(CatalogService catalog, CatalogWrites writes, CatalogProperties properties) {
		this.catalog = catalog;
		this.sharedCaching = JsonAnswer.caching(properties.cache().sharedCaching());
		this.writes = writes;
		this.properties = properties;
	}

	Mono<ServerResponse> list(ServerRequest request) {
		ProductQuery query = ProductQuery.parse(request.queryParams(), this.properties);
		// back to the request's event loop after Redis answers (see ConnectionLoop)
		return ConnectionLoop.backTo(request.exchange(), this.catalog.products(query))
			.<ServerResponse>map((page) -> new JsonAnswer(page, this.sharedCaching));
	}

	/**
	 * A product: ACTIVE ones for everyone, the others for their vendor and administrators
	 * (see {@link ProductRules}).
	 */
	Mono<ServerResponse> get(ServerRequest request) {
		UUID id = productId(request);
		return this.catalog.productView(id)
			.flatMap((view) -> view.product().isPublic() ? Mono.just(answer(view))
					: Caller.current()
						.filter((caller) -> ProductRules.view(caller, view.product()) == ProductRules.Decision.ALLOW)
						.map((caller) -> answer(view)))
			.switchIfEmpty(Mono.error(ProductNotFound::new));
	}

	private ServerResponse answer(NearCache.Fresh view) {
		return new JsonAnswer(view.json(), view.etag(), this.sharedCaching);
	}

	Mono<ServerResponse> create(ServerRequest request) {
		return request.bodyToMono(JsonNode.class)
			.switchIfEmpty(Mono.error(ApiException::missingBody))
			.map(ProductInput::draft)
			.zipWith(Caller.current())
			.flatMap((input) -> this.writes.create(input.getT2(), input.getT1()))
			.flatMap((product) -> ServerResponse
				.created(UriComponentsBuilder.fromPath("/api/v1/products/{id}").buildAndExpand(product.id()).toUri())
				.contentType(MediaType.APPLICATION_JSON)
				.eTag(product.etag())
				.bodyValue(product));
	}

	Mono<ServerResponse> update(ServerRequest request) {
		UUID id = productId(request);
		IfMatch ifMatch = IfMatch.parse(request.headers().header(HttpHeaders.IF_MATCH));
		return request.bodyToMono(JsonNode.class)
			.switchIfEmpty(Mono.error(ApiException::missingBody))
			.map(ProductInput::changes)
			.zipWith(Caller.current())
			.flatMap((input) -> this.writes.update(input.getT2(), id, ifMatch, input.getT1()))
			.flatMap((product) -> ServerResponse.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.eTag(product.etag())
				.bodyValue(product));
	}

	/**
	 * Archives the product (it stays readable to its vendor and administrators).
	 */
	Mono<ServerResponse> archive(ServerRequest request) {
		UUID id = productId(request);
		IfMatch ifMatch = IfMatch.parse(request.headers().header(HttpHeaders.IF_MATCH));
		return Caller.current()
			.flatMap((caller) -> this.writes.update(caller, id, ifMatch, ProductChanges.archive()))
			.then(ServerResponse.noContent().build());
	}

	/**
	 * Ids are opaque to clients: one that is not even a UUID names no product (404).
	 */
	private static UUID productId(ServerRequest request) {
		return Ids.parse(request.pathVariable("id")).orElseThrow(ProductNotFound::new);
	}

}
