package com.aqad.marketplace.platform.web;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The application's one router: every feature's routes ({@link FeatureRoutes}), in their
 * order, asked flat.
 */
@Configuration(proxyBeanMethods = false)
class ApiRoutes {

	@Bean
	RouterFunction<ServerResponse> apiRouter(ObjectProvider<FeatureRoutes> features) {
		return FlatRoutes.of(features.orderedStream().map(FeatureRoutes::routes).toList());
	}

}
