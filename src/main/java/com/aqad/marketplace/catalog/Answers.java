package com.aqad.marketplace.catalog;

import reactor.core.publisher.Mono;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Catalog reads answered from cached JSON as it is, with a tag to revalidate it.
 */
final class Answers {

	private Answers() {
	}

	/**
	 * 200 with the JSON and its weak entity tag, or 304 when the client holds it already.
	 */
	static Mono<ServerResponse> cacheable(ServerRequest request, CachedJson json, CacheControl caching) {
		return notModified(request, json.etag(), caching).switchIfEmpty(Mono.defer(() -> ServerResponse.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.eTag(json.etag())
			.cacheControl(caching)
			.bodyValue(json.bytes())));
	}

	/**
	 * 304 when the client holds this tag, carrying the same {@code Cache-Control} as the
	 * 200 would (a 304 updates what a shared cache stored: without it the default
	 * {@code no-store} would make the cache drop the entry).
	 */
	static Mono<ServerResponse> notModified(ServerRequest request, String etag, CacheControl caching) {
		return request.checkNotModified(etag)
			.flatMap((notModified) -> ServerResponse.from(notModified).cacheControl(caching).build());
	}

}
