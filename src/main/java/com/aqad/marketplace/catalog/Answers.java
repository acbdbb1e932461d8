package com.aqad.marketplace.catalog;

import io.netty.util.AsciiString;
import reactor.core.publisher.Mono;

import org.springframework.http.CacheControl;
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
	static Mono<ServerResponse> cacheable(CachedJson json, AsciiString caching) {
		return Mono.just(new JsonAnswer(json.bytes(), json.etag(), caching));
	}

	/**
	 * The {@code Cache-Control} value of anonymous catalog reads, as it goes on the wire.
	 */
	static AsciiString caching(CacheControl caching) {
		return AsciiString.cached(caching.getHeaderValue());
	}

}
