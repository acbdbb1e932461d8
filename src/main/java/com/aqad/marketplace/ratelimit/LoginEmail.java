package com.aqad.marketplace.ratelimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;

/**
 * The email a login is for, read from its body before the handler reads it (which then
 * reads the same bytes again). Only a digest of the address is kept as the subject: no
 * email address ends up in Redis keys or logs.
 */
final class LoginEmail {

	private final JsonMapper json;

	private final int maxBytes;

	LoginEmail(JsonMapper json, int maxBytes) {
		this.json = json;
		this.maxBytes = maxBytes;
	}

	/**
	 * The body read, and the email's subject ({@code null} when the body names none; the
	 * handler will refuse such a body).
	 */
	Mono<Read> read(ServerWebExchange exchange) {
		return DataBufferUtils.join(exchange.getRequest().getBody(), this.maxBytes).map((buffer) -> {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			DataBufferUtils.release(buffer);
			return bytes;
		}).defaultIfEmpty(new byte[0]).map((bytes) -> new Read(replay(exchange, bytes), subject(bytes)));
	}

	private String subject(byte[] body) {
		if (body.length == 0) {
			return null;
		}
		try {
			JsonNode email = this.json.readTree(body).path("email");
			return email.isString() ? "email:" + digest(email.stringValue().trim().toLowerCase(Locale.ROOT)) : null;
		}
		catch (JacksonException malformed) {
			return null;
		}
	}

	private static String digest(String email) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(email.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(hash, 0, 16);
		}
		catch (NoSuchAlgorithmException impossible) {
			throw new IllegalStateException(impossible);
		}
	}

	private static ServerWebExchange replay(ServerWebExchange exchange, byte[] body) {
		ServerHttpRequest request = new ServerHttpRequestDecorator(exchange.getRequest()) {

			@Override
			public Flux<DataBuffer> getBody() {
				return Flux.defer(() -> Flux.just(exchange.getResponse().bufferFactory().wrap(body)));
			}

		};
		return exchange.mutate().request(request).build();
	}

	/**
	 * @param exchange the exchange, whose body can be read again
	 * @param subject the email's subject, or {@code null}
	 */
	record Read(ServerWebExchange exchange, String subject) {

	}

}
