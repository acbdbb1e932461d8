package com.aqad.marketplace.platform.web;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.aqad.marketplace.identity.RouteAccess;
import com.aqad.marketplace.identity.RouteAccess.Rule;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Test-only routes that exercise the web plumbing on bodies: a JSON echo and a failing
 * route.
 */
@TestConfiguration(proxyBeanMethods = false)
class EchoRoutes {

	private static final Logger log = LoggerFactory.getLogger(EchoRoutes.class);

	record Order(String note, int quantity, List<String> tags) {
	}

	@Bean
	RouterFunction<ServerResponse> echoRouter() {
		return RouterFunctions.route()
			.POST("/test/echo", RequestPredicates.contentType(MediaType.APPLICATION_JSON),
					(request) -> request.bodyToMono(Order.class)
						.flatMap((order) -> ReactiveSecurityContextHolder.getContext()
							.map((security) -> String.valueOf(security.getAuthentication().getName()))
							.defaultIfEmpty("nobody")
							.flatMap((caller) -> {
								log.info("echoing an order of {} for {}", order.quantity(), caller);
								return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(order);
							})))
			.GET("/test/explode", (request) -> {
				throw new IllegalStateException("select secret from credentials at db.internal:5432");
			})
			.GET("/test/undeclared", (request) -> ServerResponse.ok().bodyValue("nobody declared who may see this"))
			.build();
	}

	/**
	 * Access to the test routes, except {@code /test/undeclared}, which no table names.
	 */
	@Bean
	RouteAccess echoAccess() {
		return () -> List.of(Rule.anyone(HttpMethod.POST, "/test/echo"), Rule.anyone(HttpMethod.GET, "/test/explode"));
	}

}
