package com.aqad.marketplace.catalog;

import io.netty.util.AsciiString;
import reactor.core.publisher.Mono;

import com.aqad.marketplace.platform.web.WireHeaders;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.util.CollectionUtils;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * A cached catalog read answered with its JSON as it is: 200 with the bytes, their tag
 * and what shared caches may do with them, or 304 (with the same {@code Cache-Control})
 * when the client holds that tag already.
 * <p>
 * Spring's own entity response would find a message writer for the bytes among all the
 * codecs, encode them through a reactive chain and write each header as a string; this
 * writes the headers as ASCII (see {@link WireHeaders}) and the bytes as one wrapped
 * buffer. The hot-path benchmark measures the difference (see
 * {@code src/docs/benchmarks.md}).
 */
final class JsonAnswer implements ServerResponse {

	private static final AsciiString CONTENT_TYPE = AsciiString.cached(HttpHeaders.CONTENT_TYPE);

	private static final AsciiString CONTENT_LENGTH = AsciiString.cached(HttpHeaders.CONTENT_LENGTH);

	private static final AsciiString ETAG = AsciiString.cached(HttpHeaders.ETAG);

	private static final AsciiString CACHE_CONTROL = AsciiString.cached(HttpHeaders.CACHE_CONTROL);

	private static final AsciiString JSON = AsciiString.cached(MediaType.APPLICATION_JSON_VALUE);

	private final byte[] json;

	private final String etag;

	private final AsciiString caching;

	/**
	 * @param json the answer, UTF-8
	 * @param etag its entity tag, quoted (weak or strong)
	 * @param caching the {@code Cache-Control} value
	 */
	JsonAnswer(byte[] json, String etag, AsciiString caching) {
		this.json = json;
		this.etag = etag;
		this.caching = caching;
	}

	/**
	 * A cached answer's JSON and weak tag (a list page, the categories).
	 */
	JsonAnswer(CachedJson json, AsciiString caching) {
		this(json.bytes(), json.etag(), caching);
	}

	/**
	 * The {@code Cache-Control} value of anonymous catalog reads, as it goes on the wire.
	 */
	static AsciiString caching(CacheControl caching) {
		return AsciiString.cached(caching.getHeaderValue());
	}

	@Override
	public Mono<Void> writeTo(ServerWebExchange exchange, Context context) {
		ServerHttpResponse response = exchange.getResponse();
		if (exchange.getRequest().getHeaders().containsHeader(HttpHeaders.IF_NONE_MATCH)
				&& exchange.checkNotModified(this.etag)) {
			// a 304 updates what a shared cache stored: without its Cache-Control the
			// default no-store would make the cache drop the entry
			WireHeaders.set(response, CACHE_CONTROL, this.caching);
			return response.setComplete();
		}
		response.setStatusCode(HttpStatus.OK);
		WireHeaders.set(response, CONTENT_TYPE, JSON);
		WireHeaders.set(response, CONTENT_LENGTH, Integer.toString(this.json.length));
		WireHeaders.set(response, ETAG, this.etag);
		WireHeaders.set(response, CACHE_CONTROL, this.caching);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(this.json)));
	}

	@Override
	public HttpStatusCode statusCode() {
		return HttpStatus.OK;
	}

	/**
	 * What {@link #writeTo} sets on a 200 (a copy: this answer is written as it is).
	 */
	@Override
	public HttpHeaders headers() {
		HttpHeaders headers = new HttpHeaders();
		headers.setContentType(MediaType.APPLICATION_JSON);
		headers.setContentLength(this.json.length);
		headers.setETag(this.etag);
		headers.setCacheControl(this.caching.toString());
		return HttpHeaders.readOnlyHttpHeaders(headers);
	}

	@Override
	public MultiValueMap<String, ResponseCookie> cookies() {
		return CollectionUtils.unmodifiableMultiValueMap(new LinkedMultiValueMap<>());
	}

}
