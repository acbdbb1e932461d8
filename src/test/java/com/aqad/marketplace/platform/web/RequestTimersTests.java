package com.aqad.marketplace.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.observation.ServerHttpObservationDocumentation;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import org.springframework.web.reactive.function.server.RouterFunction;

/**
 * {@code http.server.requests} recorded with each kind of request's tags and timer kept
 * ({@link RequestObservations}, {@link RequestTimers}) gives the same series, with the
 * same counts, as Micrometer's own meter handler.
 */
class RequestTimersTests {

	@Test
	void theTimersAreTheSeriesMicrometersOwnHandlerRecords() {
		MeterRegistry kept = new SimpleMeterRegistry();
		MeterRegistry micrometers = new SimpleMeterRegistry();
		promotion(observations(kept, true));
		promotion(observations(micrometers, false));

		Map<String, Long> series = series(micrometers);
		assertThat(series).containsEntry(
				"error=none exception=none method=GET outcome=SUCCESS region=eu status=200 uri=/api/v1/products/{id}",
				3L)
			.containsEntry(
					"error=none exception=none method=GET outcome=REDIRECTION region=eu status=304 uri=/api/v1/products/{id}",
					1L)
			.containsEntry("error=IllegalStateException exception=IllegalStateException method=GET outcome=SERVER_ERROR"
					+ " region=eu status=500 uri=/api/v1/products/{id}", 2L)
			.containsEntry(
					"error=none exception=none method=GET outcome=CLIENT_ERROR region=eu status=404 uri=NOT_FOUND", 1L)
			.hasSize(5);
		assertThat(series(kept)).isEqualTo(series);
	}

	/** requests of a promotion, each observed as the web handler observes it */
	private static void promotion(ObservationRegistry observations) {
		RequestObservations convention = new RequestObservations(noRouters());
		for (int i = 0; i < 3; i++) {
			request(observations, convention, HttpMethod.GET, "/api/v1/products/" + i, "/api/v1/products/{id}",
					HttpStatus.OK, null);
		}
		request(observations, convention, HttpMethod.GET, "/api/v1/products/1", "/api/v1/products/{id}",
				HttpStatus.NOT_MODIFIED, null);
		request(observations, convention, HttpMethod.POST, "/api/v1/orders", "/api/v1/orders", HttpStatus.CREATED,
				null);
		for (int i = 0; i < 2; i++) {
			request(observations, convention, HttpMethod.GET, "/api/v1/products/2", "/api/v1/products/{id}",
					HttpStatus.INTERNAL_SERVER_ERROR, new IllegalStateException("broken"));
		}
		request(observations, convention, HttpMethod.GET, "/nowhere", null, HttpStatus.NOT_FOUND, null);
	}

	private static void request(ObservationRegistry observations, RequestObservations convention, HttpMethod method,
			String path, @Nullable String pattern, HttpStatus status, @Nullable Throwable error) {
		MockServerHttpRequest request = MockServerHttpRequest.method(method, path).build();
		MockServerHttpResponse response = new MockServerHttpResponse();
		ServerRequestObservationContext context = new ServerRequestObservationContext(request, response,
				new HashMap<>());
		Observation observation = ServerHttpObservationDocumentation.HTTP_REACTIVE_SERVER_REQUESTS
			.observation(convention, convention, () -> context, observations)
			.start();
		if (pattern != null) {
			context.setPathPattern(pattern);
		}
		response.setStatusCode(status);
		response.setComplete().block();
		if (error != null) {
			observation.error(error);
		}
		observation.stop();
	}

	/**
	 * Meter handlers grouped as Boot groups them (the first that supports an observation
	 * handles it), with a filter that adds a constant tag to every observation.
	 */
	private static ObservationRegistry observations(MeterRegistry meters, boolean keptTimers) {
		ObservationRegistry observations = ObservationRegistry.create();
		DefaultMeterObservationHandler micrometers = new DefaultMeterObservationHandler(meters,
				DefaultMeterObservationHandler.IgnoredMeters.LONG_TASK_TIMER);
		observations.observationConfig()
			.observationHandler(
					keptTimers ? new FirstMatchingCompositeObservationHandler(new RequestTimers(meters), micrometers)
							: micrometers)
			.observationFilter((context) -> context.addLowCardinalityKeyValue(KeyValue.of("region", "eu")));
		return observations;
	}

	/** each series of the request timer with its count, by its sorted tags */
	private static Map<String, Long> series(MeterRegistry meters) {
		Map<String, Long> series = new TreeMap<>();
		for (Timer timer : meters.find("http.server.requests").timers()) {
			String tags = timer.getId()
				.getTags()
				.stream()
				.map((tag) -> tag.getKey() + "=" + tag.getValue())
				.sorted()
				.collect(Collectors.joining(" "));
			series.put(tags, timer.count());
		}
		return series;
	}

	@SuppressWarnings("unchecked")
	private static ObjectProvider<RouterFunction<?>> noRouters() {
		return (ObjectProvider<RouterFunction<?>>) (ObjectProvider<?>) new DefaultListableBeanFactory()
			.getBeanProvider(RouterFunction.class);
	}

}
