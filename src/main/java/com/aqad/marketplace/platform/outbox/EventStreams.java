package com.aqad.marketplace.platform.outbox;

import java.time.Duration;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Server-sent event streams as clients and proxies need them: a first comment at once (so
 * the response starts before the first event), the reconnection delay, and a heartbeat
 * comment whenever the stream would otherwise be idle long enough for a proxy to drop it.
 */
public final class EventStreams {

	private EventStreams() {
	}

	/**
	 * A 200 {@code text/event-stream} of outbox events ({@code id}, {@code event},
	 * {@code data}), opened at once, with heartbeats.
	 */
	public static Mono<ServerResponse> ok(Flux<? extends OutboxEvent> events, Duration heartbeat, Duration retry) {
		Flux<ServerSentEvent<String>> sse = events.map(
				(event) -> ServerSentEvent.builder(event.json()).id(event.id().toString()).event(event.type()).build());
		return ServerResponse.ok()
			.contentType(MediaType.TEXT_EVENT_STREAM)
			.cacheControl(CacheControl.noStore())
			.body(live(sse, heartbeat, retry), ServerSentEvent.class);
	}

	static Flux<ServerSentEvent<String>> live(Flux<ServerSentEvent<String>> events, Duration heartbeat,
			Duration retry) {
		ServerSentEvent<String> open = ServerSentEvent.<String>builder().comment("open").retry(retry).build();
		Flux<ServerSentEvent<String>> heartbeats = Flux.interval(heartbeat)
			.onBackpressureDrop()
			.map((tick) -> ServerSentEvent.<String>builder().comment("heartbeat").build());
		ServerSentEvent<String> end = ServerSentEvent.<String>builder().comment("end").build();
		// heartbeats stop when the events end: the stream ends with them
		return Flux.concat(Flux.just(open),
				Flux.merge(events.concatWith(Flux.just(end)), heartbeats).takeWhile((event) -> event != end));
	}

}
