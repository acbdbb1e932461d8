package com.aqad.marketplace.platform.web;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.handler.AbstractHandlerMapping;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;

/**
 * The last handler mapping: answers a request that no route matched with the precise
 * error. Functional routes only say "no match", so this asks the routes again with the
 * request changed in one way, in this order: any {@code Accept} matches (406), a JSON
 * {@code Content-Type} matches (415), another method matches (405 with {@code Allow});
 * otherwise 404. So a wrong media type on a path that has other methods is still a 415 or
 * 406, not a 405. It runs only on misses, never on the hot path.
 */
@Component
class UnmatchedRequests extends AbstractHandlerMapping {

	private static final List<HttpMethod> METHODS = List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT,
			HttpMethod.PATCH, HttpMethod.DELETE);

	private final ObjectProvider<RouterFunction<?>> routes;

	private final ServerCodecConfigurer codecs;

	UnmatchedRequests(ObjectProvider<RouterFunction<?>> routes, ServerCodecConfigurer codecs) {
		this.routes = routes;
		this.codecs = codecs;
		// after every route, ahead of any resource handler
		setOrder(Ordered.LOWEST_PRECEDENCE - 10);
	}

	@Override
	protected Mono<?> getHandlerInternal(ServerWebExchange exchange) {
		WebHandler explain = (unmatched) -> explain(ServerRequest.create(unmatched, this.codecs.getReaders()))
			.flatMap(Mono::error);
		return Mono.just(explain);
	}

	private Mono<Throwable> explain(ServerRequest request) {
		List<RouterFunction<?>> features = this.routes.orderedStream().toList();
		// this method exists here and would answer another Accept: 406 naming what it
		// offers
		Mono<Throwable> wrongAccept = matches(features,
				ServerRequest.from(request).headers((headers) -> headers.setAccept(List.of(MediaType.ALL))).build())
			.filter(Boolean::booleanValue)
			.map((ignored) -> new NotAcceptableStatusException(List.of(MediaType.APPLICATION_JSON)));
		// this method exists here and would take a JSON body: 415
		Mono<Throwable> wrongContentType = matches(features, ServerRequest.from(request).headers((headers) -> {
			headers.setContentType(MediaType.APPLICATION_JSON);
			headers.setAccept(List.of(MediaType.ALL));
		}).build()).filter(Boolean::booleanValue)
			.map((ignored) -> new UnsupportedMediaTypeStatusException(request.headers().contentType().orElse(null),
					List.of(MediaType.APPLICATION_JSON)));
		// only other methods exist here: 405 with Allow (HEAD wherever GET is)
		Mono<Throwable> wrongMethod = Flux.fromIterable(METHODS)
			.filter((method) -> !method.equals(request.method()))
			.filterWhen((method) -> matches(features, ServerRequest.from(request).method(method).headers((headers) -> {
				headers.setContentType(MediaType.APPLICATION_JSON);
				headers.setAccept(List.of(MediaType.ALL));
			}).build()))
			.collect(Collectors.toCollection(LinkedHashSet::new))
			.filter((allowed) -> !allowed.isEmpty())
			.map((allowed) -> {
				if (allowed.contains(HttpMethod.GET)) {
					allowed.add(HttpMethod.HEAD);
				}
				return methodNotAllowed(request, allowed);
			});
		return wrongAccept.switchIfEmpty(wrongContentType)
			.switchIfEmpty(wrongMethod)
			.defaultIfEmpty(new ResponseStatusException(HttpStatus.NOT_FOUND));
	}

	private static MethodNotAllowedException methodNotAllowed(ServerRequest request, Set<HttpMethod> allowed) {
		return new MethodNotAllowedException(request.method(), allowed);
	}

	private static Mono<Boolean> matches(List<RouterFunction<?>> features, ServerRequest request) {
		return Flux.fromIterable(features).concatMap((route) -> route.route(request)).hasElements();
	}

}
