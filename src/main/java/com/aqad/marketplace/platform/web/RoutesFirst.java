package com.aqad.marketplace.platform.web;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.webflux.actuate.endpoint.web.AdditionalHealthEndpointPathsWebFluxHandlerMapping;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * The API's routes are looked up first. With the actuator on its own port, Spring Boot
 * still puts on the API's port a handler mapping for health groups served there too
 * ({@code additional-path: server:...}), ahead of every other (order -100): every API
 * request asked it first and got nothing, ~1.5 % of a cached read's CPU in the hot-path
 * profile. It now comes after the API's routes and before the answers for unmatched
 * requests, so such a path, if one is configured, is still served.
 */
@Component
class RoutesFirst implements BeanPostProcessor {

	/**
	 * after the routes (-1) and annotated controllers (0), before
	 * {@link UnmatchedRequests}
	 */
	static final int HEALTH_PATHS_ORDER = Ordered.LOWEST_PRECEDENCE - 20;

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof AdditionalHealthEndpointPathsWebFluxHandlerMapping healthPaths) {
			healthPaths.setOrder(HEALTH_PATHS_ORDER);
		}
		return bean;
	}

}
