package com.aqad.marketplace.platform.web;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.Observation;

import com.aqad.marketplace.platform.web.RequestObservations.Tagged;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;

/**
 * The {@code http.server.requests} timer, as Micrometer's own meter handler records it
 * (the observation's low-cardinality tags and {@code error}), with each kind of request's
 * timer looked up once ({@link RequestObservations}) instead of its tags being sorted
 * again and the timer found in the registry on every request.
 * <p>
 * Boot groups the meter handlers and asks the first that supports an observation: this
 * one comes first for HTTP server requests, Micrometer's handles every other observation.
 * A kind's timer is registered from the first request of that kind with the observation's
 * full tags (constant ones added by observation filters included, as
 * {@code management.observations.key-values}); tags that a filter would vary from request
 * to request within a kind are not supported.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestTimers implements MeterObservationHandler<ServerRequestObservationContext> {

	private final MeterRegistry meters;

	RequestTimers(MeterRegistry meters) {
		this.meters = meters;
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof ServerRequestObservationContext;
	}

	@Override
	public void onStart(ServerRequestObservationContext context) {
		context.put(Timer.Sample.class, Timer.start(this.meters));
	}

	@Override
	public void onStop(ServerRequestObservationContext context) {
		Timer.Sample sample = context.getRequired(Timer.Sample.class);
		sample.stop(timer(context));
	}

	@Override
	public void onEvent(Observation.Event event, ServerRequestObservationContext context) {
		Counter.builder(context.getName() + "." + event.getName())
			.tags(tags(context))
			.register(this.meters)
			.increment();
	}

	private Timer timer(ServerRequestObservationContext context) {
		Tagged tagged = context.get(Tagged.class);
		if (tagged == null || context.getError() != null) {
			return register(context);
		}
		Timer timer = tagged.timer();
		if (timer == null) {
			timer = register(context);
			tagged.timer(timer);
		}
		return timer;
	}

	private Timer register(ServerRequestObservationContext context) {
		List<Tag> tags = tags(context);
		Throwable error = context.getError();
		tags.add(Tag.of("error", (error != null) ? error.getClass().getSimpleName() : "none"));
		return this.meters.timer(context.getName(), tags);
	}

	private static List<Tag> tags(Observation.Context context) {
		List<Tag> tags = new ArrayList<>();
		for (KeyValue keyValue : context.getLowCardinalityKeyValues()) {
			tags.add(Tag.of(keyValue.getKey(), keyValue.getValue()));
		}
		return tags;
	}

}
