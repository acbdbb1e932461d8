package com.aqad.marketplace.platform.web;

import io.netty.util.AsciiString;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;

/**
 * Response headers set as ASCII bytes, ready for the wire, on the hot path.
 * <p>
 * Netty writes a header given as a {@link String} one character at a time into the
 * outgoing direct buffer, checking the buffer's bounds and reference count for each byte;
 * an {@link AsciiString} is one bulk copy. A cached catalog read sends about 500 bytes of
 * headers: the character loop was ~6 % of its CPU in the hot-path profile. Constant names
 * and values are made once; a value computed per request is turned into bytes on the heap
 * here, which costs a fraction of that loop.
 */
public final class WireHeaders {

	private WireHeaders() {
	}

	/**
	 * Sets the header, replacing any value it had.
	 */
	public static void set(ServerHttpResponse response, AsciiString name, CharSequence value) {
		if (ServerHttpResponseDecorator.getNativeResponse(response) instanceof HttpServerResponse netty) {
			netty.responseHeaders().set(name, ascii(value));
		}
		else {
			response.getHeaders().set(name.toString(), value.toString());
		}
	}

	/**
	 * Adds a value to the header's.
	 */
	public static void add(ServerHttpResponse response, AsciiString name, CharSequence value) {
		if (ServerHttpResponseDecorator.getNativeResponse(response) instanceof HttpServerResponse netty) {
			netty.responseHeaders().add(name, ascii(value));
		}
		else {
			response.getHeaders().add(name.toString(), value.toString());
		}
	}

	/**
	 * The value as ASCII bytes (characters beyond ASCII become {@code ?}, as Netty's own
	 * encoding of a header would make them).
	 */
	public static AsciiString ascii(CharSequence value) {
		return (value instanceof AsciiString ascii) ? ascii : new AsciiString(value);
	}

}
