package com.aqad.marketplace.platform.web;

import java.util.List;

import reactor.core.Fuseable;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Routes asked in order, the first that matches answering, as Spring composes routers,
 * without the composition's layers.
 * <p>
 * Spring's {@code RouterFunctionMapping} joins the application's routers pairwise, each
 * pair as {@code Flux.concat(first, defer(second)).next()}, and a router built with
 * {@link RouterFunctions#route()} asks its routes through
 * {@code Flux.fromIterable(routes).concatMap(...).next()}. A request to the first route
 * subscribed, signalled and cancelled through every layer, and each cancellation asked
 * for the request's context through all of them: in the hot-path profile the
 * concatenations, iterations and {@code next()}s were about 8 % of a cached read's
 * samples (see {@code src/docs/benchmarks.md}). A route made by
 * {@link RouterFunctions#route(RequestPredicate, HandlerFunction)} decides at once
 * ({@code Mono.just} or {@code Mono.empty}): such a route is asked directly here, and
 * only a route that decides later (a nested or built one) is waited for, the rest asked
 * if it finds nothing, as Spring's composition does. Visitors (route templates, Spring's
 * path parser and API version checks, the API description's test) see every route.
 */
public final class FlatRoutes implements RouterFunction<ServerResponse> {

	private final List<RouterFunction<ServerResponse>> routes;

	private FlatRoutes(List<RouterFunction<ServerResponse>> routes) {
		this.routes = routes;
	}

	public static RouterFunction<ServerResponse> of(List<RouterFunction<ServerResponse>> routes) {
		return new FlatRoutes(List.copyOf(routes));
	}

	@SafeVarargs
	public static RouterFunction<ServerResponse> of(RouterFunction<ServerResponse>... routes) {
		return of(List.of(routes));
	}

	@Override
	public Mono<HandlerFunction<ServerResponse>> route(ServerRequest request) {
		return from(request, 0);
	}

	private Mono<HandlerFunction<ServerResponse>> from(ServerRequest request, int start) {
		for (int i = start; i < this.routes.size(); i++) {
			Mono<HandlerFunction<ServerResponse>> found = this.routes.get(i).route(request);
			if (found instanceof Fuseable.ScalarCallable<?> decided) {
				Object handler;
				try {
					handler = decided.call();
				}
				catch (Exception failure) {
					return Mono.error(failure);
				}
				if (handler != null) {
					return found;
				}
				continue;
			}
			int next = i + 1;
			return (next == this.routes.size()) ? found : found.switchIfEmpty(Mono.defer(() -> from(request, next)));
		}
		return Mono.empty();
	}

	@Override
	public void accept(RouterFunctions.Visitor visitor) {
		this.routes.forEach((route) -> route.accept(visitor));
	}

	@Override
	public String toString() {
		return "FlatRoutes" + this.routes;
	}

}
