package com.aqad.marketplace.catalog;

import static com.aqad.marketplace.identity.Role.ADMIN;
import static com.aqad.marketplace.identity.Role.VENDOR;
import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.PATCH;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.web.reactive.function.server.RequestPredicates.accept;
import static org.springframework.web.reactive.function.server.RequestPredicates.contentType;

import java.util.List;

import com.aqad.marketplace.identity.RouteAccess;
import com.aqad.marketplace.identity.RouteAccess.Rule;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The catalog's routes.
 */
@Configuration(proxyBeanMethods = false)
class CatalogRoutes {

	private static final RequestPredicate JSON_IN = contentType(MediaType.APPLICATION_JSON)
		.and(accept(MediaType.APPLICATION_JSON));

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	RouterFunction<ServerResponse> catalogRouter(ProductHandler products, CategoryHandler categories) {
		// full paths, no nesting: this is the hot path, and a nested route wraps each
		// request
		return RouterFunctions.route()
			.GET("/api/v1/products/{id}", accept(MediaType.APPLICATION_JSON), products::get)
			.GET("/api/v1/products", accept(MediaType.APPLICATION_JSON), products::list)
			.GET("/api/v1/categories", accept(MediaType.APPLICATION_JSON), categories::list)
			.POST("/api/v1/categories", JSON_IN, categories::create)
			.POST("/api/v1/products", JSON_IN, products::create)
			.PATCH("/api/v1/products/{id}", JSON_IN, products::update)
			.DELETE("/api/v1/products/{id}", products::archive)
			.build();
	}

	/**
	 * Who may call the catalog's routes. Which product a vendor may change is
	 * {@link ProductRules}' job. API keys read the catalog like anyone; they never write
	 * it (no scope allows that).
	 */
	@Bean
	RouteAccess catalogAccess() {
		return () -> List.of(Rule.anyone(GET, "/api/v1/categories"),
				Rule.roles(POST, "/api/v1/categories", null, ADMIN), Rule.anyone(GET, "/api/v1/products"),
				Rule.roles(POST, "/api/v1/products", null, VENDOR), Rule.anyone(GET, "/api/v1/products/{id}"),
				Rule.roles(PATCH, "/api/v1/products/{id}", null, VENDOR, ADMIN),
				Rule.roles(DELETE, "/api/v1/products/{id}", null, VENDOR, ADMIN));
	}

}
