package com.aqad.marketplace.platform.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Requests that never reach Spring get a problem body too: what Netty cannot decode (a
 * broken request line or header, a request line over 4 KiB: 414, headers over 8 KiB: 431)
 * and a request target that is not a valid URI (bad percent-encoding such as
 * {@code /products/%zz}), which Reactor Netty and Spring would otherwise answer with an
 * empty 400; and a request in another major version of HTTP ({@code HTTP/9.9}, which
 * Netty accepts and would echo in the status line): 505. The answer carries the security
 * headers and a request id, is logged at debug level (clients cause these), and closes
 * the connection: after such a request the stream's framing cannot be trusted.
 * <p>
 * And requests too slow to reach Spring: once the first byte of a request has arrived,
 * its line and headers must be complete within {@code header-timeout}, or the client gets
 * 408 and is disconnected ({@code aqad.web.connections.refused{reason=slow_headers}}):
 * trickling a header every few seconds no longer holds a connection forever. Idle
 * keep-alive connections are the idle timeout's; slow bodies the request deadline's.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class MalformedRequests implements NettyServerCustomizer {

	private static final Logger log = LoggerFactory.getLogger(MalformedRequests.class);

	private final SecurityHeaders securityHeaders;

	private final JsonMapper json;

	private final long headerTimeoutNanos;

	private final Counter slowHeaders;

	MalformedRequests(SecurityHeaders securityHeaders, JsonMapper json, WebProperties properties,
			MeterRegistry meters) {
		this.securityHeaders = securityHeaders;
		this.json = json;
		this.headerTimeoutNanos = properties.connections().headerTimeout().toNanos();
		this.slowHeaders = Counter.builder("aqad.web.connections.refused")
			.description("Connections closed at once because a connection limit was reached")
			.tag("reason", "slow_headers")
			.register(meters);
	}

	@Override
	public HttpServer apply(HttpServer server) {
		return server.doOnChannelInit((observer, channel, address) -> {
			if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
				Guard guard = new Guard();
				channel.pipeline().addBefore(NettyPipeline.HttpCodec, "aqad.requestArrival", guard.arrival);
				channel.pipeline().addAfter(NettyPipeline.HttpCodec, "aqad.malformedRequests", guard);
			}
		});
	}

	/**
	 * Whether a request target is one Spring can turn into a URI: the common characters
	 * are checked in one pass; anything else (a {@code %}, brackets, non-ASCII) is
	 * parsed.
	 */
	static boolean validTarget(String target) {
		for (int i = 0; i < target.length(); i++) {
			char c = target.charAt(i);
			boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
					|| "-._~/?&=:,;+!$'()*@".indexOf(c) >= 0;
			if (!plain) {
				try {
					new URI("http://host" + (target.startsWith("/") ? "" : "/") + target);
					return true;
				}
				catch (URISyntaxException ex) {
					return false;
				}
			}
		}
		return true;
	}

	private FullHttpResponse problem(HttpResponseStatus status, String code, String detail, String path) {
		String requestId = RequestId.newId();
		Problem body = new Problem(Problem.typeOf(code), status.reasonPhrase(), status.code(), detail, path, code,
				requestId, null);
		byte[] bytes = this.json.writeValueAsBytes(body);
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
				Unpooled.wrappedBuffer(bytes));
		response.headers()
			.set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
			.setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
			.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
			.set(RequestId.HEADER, requestId);
		this.securityHeaders.writeOn(response.headers());
		return response;
	}

	/**
	 * One per connection: after a refused request, whatever else arrives is dropped. Its
	 * {@link #arrival} half sits before the HTTP codec and sees the raw bytes: the first
	 * bytes of a request start the header clock, which the decoded request stops.
	 */
	private final class Guard extends ChannelInboundHandlerAdapter {

		private boolean refused;

		/** between the end of a request and the first byte of the next */
		private boolean betweenRequests = true;

		private ScheduledFuture<?> headerClock;

		/** this handler's context, after the codec: answers are written from here */
		private ChannelHandlerContext context;

		private final ChannelInboundHandlerAdapter arrival = new ChannelInboundHandlerAdapter() {

			@Override
			public void channelRead(ChannelHandlerContext ctx, Object msg) {
				if (Guard.this.betweenRequests && Guard.this.headerClock == null && !Guard.this.refused) {
					Guard.this.headerClock = ctx.executor()
						.schedule(Guard.this::tooSlow, MalformedRequests.this.headerTimeoutNanos, TimeUnit.NANOSECONDS);
				}
				ctx.fireChannelRead(msg);
			}

			@Override
			public void channelInactive(ChannelHandlerContext ctx) {
				stopClock();
				ctx.fireChannelInactive();
			}

		};

		@Override
		public void handlerAdded(ChannelHandlerContext ctx) {
			this.context = ctx;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (this.refused) {
				ReferenceCountUtil.release(msg);
				return;
			}
			if (msg instanceof HttpRequest request) {
				stopClock();
				this.betweenRequests = false;
				FullHttpResponse answer = check(request);
				if (answer != null) {
					refuse(ctx, answer);
					ReferenceCountUtil.release(msg);
					log.debug("Refused an undecodable request from {}: {}", ctx.channel().remoteAddress(),
							answer.status());
					return;
				}
			}
			if (msg instanceof LastHttpContent) {
				this.betweenRequests = true;
			}
			ctx.fireChannelRead(msg);
		}

		private void tooSlow() {
			ChannelHandlerContext ctx = this.context;
			this.headerClock = null;
			if (this.refused || !this.betweenRequests || ctx == null || !ctx.channel().isActive()) {
				return;
			}
			MalformedRequests.this.slowHeaders.increment();
			log.debug("Request headers from {} took longer than the header timeout", ctx.channel().remoteAddress());
			refuse(ctx, problem(HttpResponseStatus.REQUEST_TIMEOUT, "request_timeout",
					"The request's line and headers did not arrive in time.", null));
		}

		private void refuse(ChannelHandlerContext ctx, FullHttpResponse answer) {
			this.refused = true;
			stopClock();
			ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
		}

		private void stopClock() {
			if (this.headerClock != null) {
				this.headerClock.cancel(false);
				this.headerClock = null;
			}
		}

		private FullHttpResponse check(HttpRequest request) {
			if (request.decoderResult().isFailure()) {
				Throwable cause = request.decoderResult().cause();
				return switch (cause) {
					case TooLongHttpLineException line -> problem(HttpResponseStatus.REQUEST_URI_TOO_LONG,
							"uri_too_long", "The request line is longer than this server reads (4 KiB).", null);
					case TooLongHttpHeaderException headers ->
						problem(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers_too_large",
								"The request headers are larger than this server reads (8 KiB).", null);
					case TooLongFrameException frame -> problem(HttpResponseStatus.BAD_REQUEST, "malformed_request",
							"A part of the request is longer than this server reads.", null);
					default -> problem(HttpResponseStatus.BAD_REQUEST, "malformed_request",
							"The request is not valid HTTP/1.1.", null);
				};
			}
			if (request.protocolVersion().majorVersion() != 1) {
				return problem(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "http_version_not_supported",
						"This server speaks HTTP/1.1.", null);
			}
			if (!validTarget(request.uri())) {
				return problem(HttpResponseStatus.BAD_REQUEST, "malformed_request",
						"The request target is not a valid URI (check its percent-encoding).", null);
			}
			return null;
		}

	}

}
