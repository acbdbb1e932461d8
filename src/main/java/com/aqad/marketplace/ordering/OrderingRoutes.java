package com.aqad.marketplace.ordering;

import static com.aqad.marketplace.identity.Role.ADMIN;
import static com.aqad.marketplace.identity.Role.RETAILER;
import static com.aqad.marketplace.identity.Role.VENDOR;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.web.reactive.function.server.RequestPredicates.accept;
import static org.springframework.web.reactive.function.server.RequestPredicates.contentType;

import java.util.ArrayList;
import java.util.List;

import com.aqad.marketplace.identity.RouteAccess;
import com.aqad.marketplace.identity.RouteAccess.Rule;
import com.aqad.marketplace.identity.Scope;
import com.aqad.marketplace.platform.web.FeatureRoutes;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunctions;

/**
 * The ordering routes. Which order a caller may see or move is {@link OrderService}'s
 * job, after this gate.
 */
@Configuration(proxyBeanMethods = false)
class OrderingRoutes {

	private static final RequestPredicate JSON_IN = contentType(MediaType.APPLICATION_JSON)
		.and(accept(MediaType.APPLICATION_JSON));

	private static final List<Transition> BODILESS = List.of(Transition.CONFIRM, Transition.SHIP, Transition.DELIVER,
			Transition.CANCEL);

	@Bean
	FeatureRoutes orderingRouter(OrderHandler orders) {
		return new FeatureRoutes(RouterFunctions.route().path("/api/v1/orders", (api) -> {
			api.POST("", JSON_IN, orders::place)
				.GET("", accept(MediaType.APPLICATION_JSON), orders::list)
				.GET("/events", accept(MediaType.TEXT_EVENT_STREAM), orders::events)
				.GET("/export", accept(MediaType.APPLICATION_NDJSON), orders::export)
				.GET("/{id}", accept(MediaType.APPLICATION_JSON), orders::get)
				.POST("/{id}/assign-delivery", JSON_IN, orders::assignDelivery)
				.POST("/{id}/payments", JSON_IN, orders::pay)
				.GET("/{id}/payments", accept(MediaType.APPLICATION_JSON), orders::payments);
			BODILESS.forEach((transition) -> api.POST("/{id}/" + transition.action(),
					accept(MediaType.APPLICATION_JSON), (request) -> orders.move(request, transition)));
		}).build());
	}

	/**
	 * Keys act as their owner's account: {@code orders:read} for reads,
	 * {@code orders:write} for everything that changes an order. Who may move or pay
	 * which order is the state machine's ({@link Transition}) decision, made against the
	 * order: 404 for an order the caller may not see, 403 for one it may see but not
	 * move.
	 */
	@Bean
	RouteAccess orderingAccess() {
		List<Rule> rules = new ArrayList<>(List.of(Rule.roles(POST, "/api/v1/orders", Scope.ORDERS_WRITE, RETAILER),
				Rule.authenticated(GET, "/api/v1/orders", Scope.ORDERS_READ),
				Rule.authenticated(GET, "/api/v1/orders/events", Scope.ORDERS_READ),
				Rule.roles(GET, "/api/v1/orders/export", Scope.ORDERS_READ, VENDOR, ADMIN),
				Rule.authenticated(GET, "/api/v1/orders/{id}", Scope.ORDERS_READ),
				Rule.authenticated(POST, "/api/v1/orders/{id}/assign-delivery", Scope.ORDERS_WRITE),
				Rule.authenticated(POST, "/api/v1/orders/{id}/payments", Scope.ORDERS_WRITE),
				Rule.authenticated(GET, "/api/v1/orders/{id}/payments", Scope.ORDERS_READ)));
		BODILESS.forEach((transition) -> rules
			.add(Rule.authenticated(POST, "/api/v1/orders/{id}/" + transition.action(), Scope.ORDERS_WRITE)));
		return () -> rules;
	}

}
