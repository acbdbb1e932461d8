package com.aqad.marketplace.platform.web;

import java.time.Duration;

import reactor.core.publisher.Flux;

import org.springframework.http.codec.ServerSentEvent;

/**
 * Server-sent event streams as clients and proxies need them: a first comment at once (so
 * the response starts before the first event), the reconnection delay, and a heartbeat
 * comment whenever the stream would otherwise be idle long enough for a proxy to drop it.
 */
public final class EventStreams {

	private EventStreams() {
	}

	public static Flux<ServerSentEvent<String>> live(Flux<ServerSentEvent<String>> events, Duration heartbeat,
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
