package com.aqad.marketplace.feed;

import static org.springframework.http.HttpMethod.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.accept;

import java.util.List;

import com.aqad.marketplace.identity.RouteAccess;
import com.aqad.marketplace.identity.RouteAccess.Rule;
import com.aqad.marketplace.identity.Scope;
import com.aqad.marketplace.platform.web.FeatureRoutes;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunctions;

/**
 * The partner feeds' routes: any signed-in account, or an API key with {@code feed:read}.
 */
@Configuration(proxyBeanMethods = false)
class FeedRoutes {

	@Bean
	FeatureRoutes feedRouter(FeedHandler feed) {
		return new FeatureRoutes(RouterFunctions.route()
			.path("/api/v1/feed/products",
					(api) -> api.GET("/changes", accept(MediaType.TEXT_EVENT_STREAM), feed::changes)
						.GET("", accept(MediaType.APPLICATION_NDJSON, MediaType.TEXT_EVENT_STREAM), feed::products))
			.build());
	}

	@Bean
	RouteAccess feedAccess() {
		return () -> List.of(Rule.authenticated(GET, "/api/v1/feed/products", Scope.FEED_READ),
				Rule.authenticated(GET, "/api/v1/feed/products/changes", Scope.FEED_READ));
	}

}
