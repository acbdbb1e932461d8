package com.aqad.marketplace.feed;

import java.nio.charset.StandardCharsets;
import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import com.aqad.marketplace.platform.outbox.EventId;
import com.aqad.marketplace.platform.web.EventStreams;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ReactiveHttpOutputMessage;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The full feed (NDJSON, or SSE when asked) and the change stream (SSE).
 */
@Component
class FeedHandler {

	/**
	 * Response header: the change-stream id to resume from after this feed
	 * ({@code Last-Event-ID} of {@code /feed/products/changes}), so that feed and changes
	 * together miss nothing.
	 */
	static final String CHANGES_POSITION = "Changes-Last-Event-ID";

	private static final byte[] NEWLINE = { '\n' };

	private static final byte[] SSE_START = "event: product\ndata: ".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] SSE_END = "\n\n".getBytes(StandardCharsets.US_ASCII);

	private final FeedService feed;

	private final FeedProperties properties;

	FeedHandler(FeedService feed, FeedProperties properties) {
		this.feed = feed;
		this.properties = properties;
	}

	Mono<ServerResponse> products(ServerRequest request) {
		FeedFilter filter = FeedFilter.parse(request.queryParams());
		boolean sse = wantsEventStream(request);
		return this.feed.position()
			.flatMap((position) -> ServerResponse.ok()
				.contentType(sse ? MediaType.TEXT_EVENT_STREAM : MediaType.APPLICATION_NDJSON)
				.cacheControl(CacheControl.noStore())
				.header(CHANGES_POSITION, position.toString())
				.body(lines(this.feed.products(filter), sse ? SSE_START : null, sse ? SSE_END : NEWLINE)));
	}

	Mono<ServerResponse> changes(ServerRequest request) {
		FeedFilter filter = FeedFilter.parse(request.queryParams());
		String lastEventId = request.headers().firstHeader("Last-Event-ID");
		EventId from = (lastEventId != null) ? EventId.parse(lastEventId) : null;
		FeedProperties.Changes settings = this.properties.changes();
		return this.feed.changes(from, filter).flatMap((events) -> {
			Flux<ServerSentEvent<String>> sse = events.map((event) -> ServerSentEvent.builder(event.json())
				.id(event.id().toString())
				.event(event.type())
				.build());
			return ServerResponse.ok()
				.contentType(MediaType.TEXT_EVENT_STREAM)
				.cacheControl(CacheControl.noStore())
				.body(EventStreams.live(sse, settings.heartbeat(), settings.pollInterval().multipliedBy(2)),
						ServerSentEvent.class);
		});
	}

	/**
	 * Products written {@code linesPerWrite} at a time: one network write per product
	 * would cost more than the product.
	 */
	private BodyInserter<Flux<String>, ReactiveHttpOutputMessage> lines(Flux<String> products, byte[] before,
			byte[] after) {
		int perWrite = this.properties.linesPerWrite();
		return new BodyInserter<>() {

			@Override
			public Mono<Void> insert(ReactiveHttpOutputMessage message, Context context) {
				DataBufferFactory buffers = message.bufferFactory();
				return message
					.writeWith(products.buffer(perWrite).map((chunk) -> write(buffers, chunk, before, after)));
			}

		};
	}

	private static DataBuffer write(DataBufferFactory buffers, List<String> chunk, byte[] before, byte[] after) {
		int size = 0;
		for (String line : chunk) {
			size += line.length() + 32;
		}
		DataBuffer buffer = buffers.allocateBuffer(size);
		for (String line : chunk) {
			if (before != null) {
				buffer.write(before);
			}
			buffer.write(line, StandardCharsets.UTF_8);
			buffer.write(after);
		}
		return buffer;
	}

	private static boolean wantsEventStream(ServerRequest request) {
		for (MediaType type : request.headers().accept()) {
			if (!type.isWildcardType() && type.isCompatibleWith(MediaType.TEXT_EVENT_STREAM)) {
				return true;
			}
			if (!type.isWildcardType() && type.isCompatibleWith(MediaType.APPLICATION_NDJSON)) {
				return false;
			}
		}
		return false;
	}

}
