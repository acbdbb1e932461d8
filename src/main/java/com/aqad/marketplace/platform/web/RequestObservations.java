package com.aqad.marketplace.platform.web;

import java.util.List;

import io.micrometer.common.KeyValue;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.server.reactive.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.RouterFunction;

/**
 * {@code http.server.requests} with the real route template ({@code uri}) also for
 * requests refused before routing (401, 403, 429, 503 from the filters), which the
 * default convention tags {@code UNKNOWN}: a promotion's dashboard must show which route
 * was throttled. Routed requests keep the template their router set; only refused ones
 * pay for a lookup.
 */
@Component
class RequestObservations extends DefaultServerRequestObservationConvention {

	private final ObjectProvider<RouterFunction<?>> routers;

	private volatile RouteTemplates templates;

	RequestObservations(ObjectProvider<RouterFunction<?>> routers) {
		super("http.server.requests");
		this.routers = routers;
	}

	@Override
	protected KeyValue uri(ServerRequestObservationContext context) {
		// asked when the observation starts too (no template yet, and the response's
		// status
		// reads 200 then): only a committed response has its status
		if (context.getPathPattern() == null && context.getCarrier() != null && context.getResponse() != null
				&& context.getResponse().isCommitted() && context.getResponse().getStatusCode() != null
				&& context.getResponse().getStatusCode().value() != 404) {
			String template = templates().templateOf(context.getCarrier().getPath().pathWithinApplication());
			if (template != null) {
				return KeyValue.of("uri", template);
			}
		}
		return super.uri(context);
	}

	private RouteTemplates templates() {
		RouteTemplates known = this.templates;
		if (known == null) {
			List<RouterFunction<?>> all = this.routers.orderedStream().toList();
			known = RouteTemplates.of(all);
			this.templates = known;
		}
		return known;
	}

}
