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
				this.rows.add(new Row(rule.method(), PathPatternParser.defaultInstance.parse(rule.pattern()),
						literalPrefix(rule.pattern()), rule));
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
		String value = path.value();
		// a plain path's segments match as they are written (nothing to decode, no
		// matrix variables): one that does not start with a row's literal prefix cannot
		// match it, and is not asked of its pattern
		boolean plain = RequestFirewall.plain(value);
		for (Row row : this.rows) {
			if (row.method().equals(method) && (!plain || value.startsWith(row.prefix()))
					&& row.pattern().matches(path)) {
				return row.rule();
			}
		}
		return null;
	}

	/**
	 * What every path the pattern matches starts with, when written plainly: the whole
	 * pattern without variables or wildcards, else its segments before the first one
	 * without their last separator ({@code /docs/{*path}} and {@code /docs/**} match
	 * {@code /docs} too).
	 */
	static String literalPrefix(String pattern) {
		for (int i = 0; i < pattern.length(); i++) {
			char c = pattern.charAt(i);
			if (c == '{' || c == '*' || c == '?') {
				return pattern.substring(0, Math.max(0, pattern.lastIndexOf('/', i)));
			}
		}
		return pattern;
	}

	private Mono<AuthorizationResult> unlessRouted(ServerWebExchange exchange) {
		RouterFunctionMapping mapping = this.routes.getIfAvailable();
		if (mapping == null) {
			return DENIED;
		}
		return mapping.getHandler(exchange).flatMap((handler) -> DENIED).switchIfEmpty(GRANTED);
	}

	private record Row(HttpMethod method, PathPattern pattern, String prefix, RouteAccess.Rule rule) {
	}

}
