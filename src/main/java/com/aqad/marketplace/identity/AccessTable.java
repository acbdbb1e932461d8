package com.aqad.marketplace.identity;

import java.util.ArrayList;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.reactive.function.server.support.RouterFunctionMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Every feature's {@link RouteAccess} rows as one authorization decision: the first row
 * whose method and path pattern match decides (a plain loop over parsed patterns, not a
 * reactive matcher per row: this runs for every request). Requests no row names: the
 * actuator's endpoints are let through; anything else only when no route would handle it,
 * so that it gets its honest 404, 405 or 406 (deny by default).
 */
final class AccessTable implements ReactiveAuthorizationManager<AuthorizationContext> {

	private static final Mono<AuthorizationResult> GRANTED = Mono.just(new AuthorizationDecision(true));

	private static final Mono<AuthorizationResult> DENIED = Mono.just(new AuthorizationDecision(false));

	private final List<Row> rows = new ArrayList<>();

	private final ServerWebExchangeMatcher endpoints;

	private final ObjectProvider<RouterFunctionMapping> routes;

	AccessTable(List<RouteAccess> tables, ServerWebExchangeMatcher endpoints,
			ObjectProvider<RouterFunctionMapping> routes) {
		for (RouteAccess table : tables) {
			for (RouteAccess.Rule rule : table.rules()) {
				this.rows.add(new Row(rule.method(), PathPatternParser.defaultInstance.parse(rule.pattern()), rule));
			}
		}
		this.endpoints = endpoints;
		this.routes = routes;
	}

	@Override
	public Mono<AuthorizationResult> authorize(Mono<Authentication> authentication, AuthorizationContext context) {
		ServerWebExchange exchange = context.getExchange();
		RouteAccess.Rule rule = ruleFor(exchange.getRequest().getMethod(),
				exchange.getRequest().getPath().pathWithinApplication());
		if (rule != null) {
			return authentication.map((auth) -> (auth.getPrincipal() instanceof Caller caller) ? caller : null)
				.map(rule::admits)
				.defaultIfEmpty(rule.anonymous())
				.map((admitted) -> admitted ? GRANTED : DENIED)
				.flatMap((decision) -> decision);
		}
		return this.endpoints.matches(exchange)
			.flatMap((endpoint) -> endpoint.isMatch() ? GRANTED : unlessRouted(exchange));
	}

	/**
	 * The first rule for this method and path, or {@code null}.
	 */
	RouteAccess.Rule ruleFor(HttpMethod method, PathContainer path) {
		for (Row row : this.rows) {
			if (row.method().equals(method) && row.pattern().matches(path)) {
				return row.rule();
			}
		}
		return null;
	}

	private Mono<AuthorizationResult> unlessRouted(ServerWebExchange exchange) {
		RouterFunctionMapping mapping = this.routes.getIfAvailable();
		if (mapping == null) {
			return DENIED;
		}
		return mapping.getHandler(exchange).flatMap((handler) -> DENIED).switchIfEmpty(GRANTED);
	}

	private record Row(HttpMethod method, PathPattern pattern, RouteAccess.Rule rule) {
	}

}
