package com.aqad.marketplace.platform.web;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.springframework.core.io.Resource;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import reactor.core.publisher.Mono;

/**
 * Every route of the application's routers as method and path template ({@code GET
 * /api/v1/products/{id}}), nested prefixes included: what the metrics name a request
 * refused before routing (401, 403, 429, 503) by, and what the OpenAPI drift test
 * compares the document with.
 */
public final class RouteTemplates {

	private final List<Route> routes;

	private RouteTemplates(List<Route> routes) {
		this.routes = List.copyOf(routes);
	}

	public static RouteTemplates of(Collection<? extends RouterFunction<?>> routers) {
		List<Route> routes = new ArrayList<>();
		routers.forEach((router) -> router.accept(new Collector(routes)));
		routes.sort((a, b) -> PathPattern.SPECIFICITY_COMPARATOR.compare(a.pattern(), b.pattern()));
		return new RouteTemplates(routes);
	}

	public List<Route> routes() {
		return this.routes;
	}

	/**
	 * The most specific template matching this path, or {@code null}.
	 */
	public String templateOf(PathContainer path) {
		for (Route route : this.routes) {
			if (route.pattern().matches(path)) {
				return route.template();
			}
		}
		return null;
	}

	/**
	 * One route.
	 *
	 * @param method its method
	 * @param template its path template
	 * @param pattern the template, parsed
	 */
	public record Route(HttpMethod method, String template, PathPattern pattern) {
	}

	private static final class Collector implements RouterFunctions.Visitor {

		private final List<Route> routes;

		private final Deque<String> prefixes = new ArrayDeque<>();

		Collector(List<Route> routes) {
			this.routes = routes;
		}

		@Override
		public void startNested(RequestPredicate predicate) {
			this.prefixes.push(Parts.of(predicate).path);
		}

		@Override
		public void endNested(RequestPredicate predicate) {
			this.prefixes.pop();
		}

		@Override
		public void route(RequestPredicate predicate, HandlerFunction<?> handlerFunction) {
			Parts parts = Parts.of(predicate);
			StringBuilder path = new StringBuilder();
			this.prefixes.descendingIterator().forEachRemaining(path::append);
			path.append(parts.path);
			String template = path.toString();
			PathPattern pattern = PathPatternParser.defaultInstance.parse(template);
			parts.methods.forEach((method) -> this.routes.add(new Route(method, template, pattern)));
		}

		@Override
		public void resources(Function<ServerRequest, Mono<Resource>> lookupFunction) {
		}

		@Override
		public void attributes(Map<String, Object> attributes) {
		}

		@Override
		public void unknown(RouterFunction<?> routerFunction) {
		}

	}

	/**
	 * The methods and path of a route's predicate (media type conditions aside).
	 */
	private static final class Parts implements RequestPredicates.Visitor {

		private final List<HttpMethod> methods = new ArrayList<>();

		private String path = "";

		static Parts of(RequestPredicate predicate) {
			Parts parts = new Parts();
			predicate.accept(parts);
			return parts;
		}

		@Override
		public void method(Set<HttpMethod> methods) {
			this.methods.addAll(methods);
		}

		@Override
		public void path(String pattern) {
			this.path = pattern;
		}

		@Override
		public void pathExtension(String extension) {
		}

		@Override
		public void header(String name, String value) {
		}

		@Override
		public void queryParam(String name, String value) {
		}

		@Override
		public void version(String version) {
		}

		@Override
		public void startAnd() {
		}

		@Override
		public void and() {
		}

		@Override
		public void endAnd() {
		}

		@Override
		public void startOr() {
		}

		@Override
		public void or() {
		}

		@Override
		public void endOr() {
		}

		@Override
		public void startNegate() {
		}

		@Override
		public void endNegate() {
		}

		@Override
		public void unknown(RequestPredicate predicate) {
		}

	}

}
