package com.aqad.marketplace.catalog;

import static org.springframework.web.reactive.function.server.RequestPredicates.accept;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The catalog's routes.
 */
@Configuration(proxyBeanMethods = false)
class CatalogRoutes {

	@Bean
	RouterFunction<ServerResponse> catalogRouter(ProductHandler products, CategoryHandler categories) {
		return RouterFunctions.route()
			.path("/api/v1",
					(api) -> api.GET("/categories", accept(MediaType.APPLICATION_JSON), categories::list)
						.GET("/products", accept(MediaType.APPLICATION_JSON), products::list)
						.GET("/products/{id}", accept(MediaType.APPLICATION_JSON), products::get))
			.build();
	}

}
