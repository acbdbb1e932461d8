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
import com.aqad.marketplace.platform.web.FeatureRoutes;
import com.aqad.marketplace.platform.web.FlatRoutes;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunctions;

/**
 * The catalog's routes.
 */
@Configuration(proxyBeanMethods = false)
class CatalogRoutes {

	private static final RequestPredicate JSON_OUT = accept(MediaType.APPLICATION_JSON);

	private static final RequestPredicate JSON_IN = contentType(MediaType.APPLICATION_JSON).and(JSON_OUT);

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	FeatureRoutes catalogRouter(ProductHandler products, CategoryHandler categories) {
		// full paths, no nesting, each route deciding at once: this is the hot path (see
		// FlatRoutes)
		return new FeatureRoutes(FlatRoutes.of(
				RouterFunctions.route(RequestPredicates.GET("/api/v1/products/{id}").and(JSON_OUT), products::get),
				RouterFunctions.route(RequestPredicates.GET("/api/v1/products").and(JSON_OUT), products::list),
				RouterFunctions.route(RequestPredicates.GET("/api/v1/categories").and(JSON_OUT), categories::list),
				RouterFunctions.route(RequestPredicates.POST("/api/v1/categories").and(JSON_IN), categories::create),
				RouterFunctions.route(RequestPredicates.POST("/api/v1/products").and(JSON_IN), products::create),
				RouterFunctions.route(RequestPredicates.PATCH("/api/v1/products/{id}").and(JSON_IN), products::update),
				RouterFunctions.route(RequestPredicates.DELETE("/api/v1/products/{id}"), products::archive)));
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
