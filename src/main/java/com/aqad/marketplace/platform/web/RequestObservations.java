package com.aqad.marketplace.platform.web;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

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
 * <p>
 * The tags of each kind of request (method, route, status, outcome, exception) are sorted
 * once and kept, with the timer they name ({@link RequestTimers}): Micrometer sorted and
 * deduplicated them when the observation started, again when it stopped, once more for
 * the timer's tags, and then looked the timer up, about 3 % of a cached read's CPU. No
 * {@code http.url}: it is for traces, and this server records none; building it cost 0.6
 * % of the same read.
 */
@Component
class RequestObservations extends DefaultServerRequestObservationConvention {

	/**
	 * kinds kept at most: the tags are as bounded as the metrics' own series (routes,
	 * methods, statuses, exception types); past this each request builds its own
	 */
	static final int MAX_KINDS = 2_000;

	private final ObjectProvider<RouterFunction<?>> routers;

	private volatile RouteTemplates templates;

	private final Map<Kind, Tagged> kinds = new ConcurrentHashMap<>();

	RequestObservations(ObjectProvider<RouterFunction<?>> routers) {
		super("http.server.requests");
		this.routers = routers;
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(ServerRequestObservationContext context) {
		KeyValue exception = exception(context);
		KeyValue method = method(context);
		KeyValue outcome = outcome(context);
		KeyValue status = status(context);
		KeyValue uri = uri(context);
		Kind kind = new Kind(method.getValue(), uri.getValue(), status.getValue(), outcome.getValue(),
				exception.getValue());
		Tagged tagged = this.kinds.get(kind);
		if (tagged == null) {
			KeyValues keyValues = KeyValues.of(exception, method, outcome, status, uri);
			if (this.kinds.size() >= MAX_KINDS) {
				return keyValues;
			}
			tagged = this.kinds.computeIfAbsent(kind, (key) -> new Tagged(keyValues));
		}
		if (over(context)) {
			// asked when the observation stops: its timer may use these tags
			context.put(Tagged.class, tagged);
		}
		return tagged.keyValues;
	}

	/** the kept tags of a kind of request, if any (for tests) */
	@Nullable Tagged kept(String method, String uri, String status, String outcome, String exception) {
		return this.kinds.get(new Kind(method, uri, status, outcome, exception));
	}

	/** Whether the exchange is over: its response committed, or its client gone. */
	private static boolean over(ServerRequestObservationContext context) {
		return context.isConnectionAborted() || (context.getResponse() != null && context.getResponse().isCommitted());
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(ServerRequestObservationContext context) {
		return KeyValues.empty();
	}

	@Override
	protected KeyValue uri(ServerRequestObservationContext context) {
		// asked when the observation starts too (no template yet, and the response's
		// status reads 200 then): only a committed response has its status
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

	/** one kind of request, by its tags' values */
	private record Kind(String method, String uri, String status, String outcome, String exception) {
	}

	/**
	 * The tags of one kind of request, sorted once, and the timer they name once one has
	 * been registered for a request of the kind that raised no error.
	 */
	static final class Tagged {

		final KeyValues keyValues;

		private volatile @Nullable Timer timer;

		Tagged(KeyValues keyValues) {
			this.keyValues = keyValues;
		}

		@Nullable Timer timer() {
			return this.timer;
		}

		void timer(Timer timer) {
			this.timer = timer;
		}

	}

}
