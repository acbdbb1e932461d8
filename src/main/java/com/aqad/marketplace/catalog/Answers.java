package com.aqad.marketplace.catalog;

import java.nio.charset.StandardCharsets;

import reactor.core.publisher.Mono;

import com.aqad.marketplace.platform.web.EntityTags;

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
	static Mono<ServerResponse> cacheable(ServerRequest request, String json, CacheControl caching) {
		byte[] body = json.getBytes(StandardCharsets.UTF_8);
		String etag = EntityTags.weak(body);
		return request.checkNotModified(etag)
			.switchIfEmpty(Mono.defer(() -> ServerResponse.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.eTag(etag)
				.cacheControl(caching)
				.bodyValue(body)));
	}

}
