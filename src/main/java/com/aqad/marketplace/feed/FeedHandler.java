package com.aqad.marketplace.feed;

import reactor.core.publisher.Mono;

import com.aqad.marketplace.platform.outbox.EventId;
import com.aqad.marketplace.platform.outbox.EventStreams;
import com.aqad.marketplace.platform.web.StreamingBodies;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
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
				.body(sse
						? StreamingBodies.events(this.feed.products(filter), "product", this.properties.linesPerWrite(),
								this.feed.pace())
						: StreamingBodies.ndjson(this.feed.products(filter), this.properties.linesPerWrite(),
								this.feed.pace())));
	}

	Mono<ServerResponse> changes(ServerRequest request) {
		FeedFilter filter = FeedFilter.parse(request.queryParams());
		FeedProperties.Changes settings = this.properties.changes();
		return this.feed.changes(EventId.lastEventId(request), filter)
			.flatMap(
					(events) -> EventStreams.ok(events, settings.heartbeat(), settings.pollInterval().multipliedBy(2)));
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
