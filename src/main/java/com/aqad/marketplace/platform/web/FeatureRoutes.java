package com.aqad.marketplace.platform.web;

import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * A feature's routes. Each feature declares its own as a bean of this type (ordered with
 * {@code @Order} where it matters: the catalog, the hot path, first); {@link ApiRoutes}
 * makes of them all the application's one router, asked flat ({@link FlatRoutes}) rather
 * than nested pairwise as Spring joins several routers.
 *
 * @param routes the feature's routes
 */
public record FeatureRoutes(RouterFunction<ServerResponse> routes) {

}
