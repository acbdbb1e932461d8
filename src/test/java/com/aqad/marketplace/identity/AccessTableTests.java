package com.aqad.marketplace.identity;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.reactive.function.server.support.RouterFunctionMapping;
import org.springframework.web.util.pattern.PathPatternParser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access table finds the rule Spring's path patterns find, first match first.
 */
class AccessTableTests {

	private static final List<String> PATTERNS = List.of("/api/v1/products/{id}", "/api/v1/products", "/docs/{*path}",
			"/files/*.json", "/api/v1/orders/{id}/cancel", "/api/v1/**", "/{name}");

	@Test
	void eachPathGetsTheFirstRuleWhosePatternMatchesIt() {
		List<RouteAccess.Rule> rules = new ArrayList<>();
		for (String pattern : PATTERNS) {
			rules.add(RouteAccess.Rule.anyone(HttpMethod.GET, pattern));
		}
		AccessTable table = new AccessTable(List.of(() -> rules),
				(exchange) -> ServerWebExchangeMatcher.MatchResult.notMatch(),
				new StaticListableBeanFactory().getBeanProvider(RouterFunctionMapping.class));
		List<String> paths = List.of("/api/v1/products/abc", "/api/v1/products", "/api/v1/products/", "/docs",
				"/docs/a/b", "/files/a.json", "/files/a.xml", "/api/v1", "/api/v1/orders/7/cancel", "/api/v2",
				"/api/v1/%70roducts/abc", "/api/v1/products;a=b", "/", "/x", "/API/v1/products");
		for (String path : paths) {
			PathContainer container = PathContainer.parsePath(path);
			String expected = PATTERNS.stream()
				.filter((pattern) -> PathPatternParser.defaultInstance.parse(pattern).matches(container))
				.findFirst()
				.orElse(null);
			RouteAccess.Rule found = table.ruleFor(HttpMethod.GET, container);
			assertThat((found != null) ? found.pattern() : null).as(path).isEqualTo(expected);
			assertThat(table.ruleFor(HttpMethod.POST, container)).as(path).isNull();
		}
	}

}
