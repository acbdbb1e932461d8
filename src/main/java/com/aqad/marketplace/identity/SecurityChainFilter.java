package com.aqad.marketplace.identity;

import java.util.List;
import java.util.Set;

import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import com.aqad.marketplace.platform.web.ContextAnchor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authorization.AuthorizationWebFilter;
import org.springframework.security.web.server.authorization.ExceptionTranslationWebFilter;
import org.springframework.security.web.server.context.ReactorContextWebFilter;
import org.springframework.security.web.server.context.SecurityContextServerWebExchangeWebFilter;
import org.springframework.security.web.server.savedrequest.ServerRequestCacheWebFilter;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Runs this API's one {@link SecurityWebFilterChain} the way Spring Security's
 * {@link WebFilterChainProxy} does (firewall first, then the chain's filters in order, a
 * rejected request to the rejection handler), for less on every request. The proxy looks
 * for the first matching chain among several with a {@code filterWhen} whose cleanup
 * visits every slot of its 256-element buffer, asking the subscriber context each time;
 * it collects the chain's filters again per request, and its filter chain marks each
 * filter with a checkpoint named by {@code toString()} (a string built with an identity
 * hash per filter per request). Profiled on a cached catalog read: about 8 % of the
 * server's CPU. Here the filters are collected once and linked without checkpoints;
 * whether the chain matches is still asked per request, and a request it does not match
 * goes on without it, as with the proxy. {@link #replacing} swaps it in for the proxy
 * only when there is exactly one chain; otherwise the proxy stays.
 * <p>
 * <b>Requests without credentials</b> on a route the {@link AccessTable} opens to
 * everyone skip the chain's filters after the firewall: for them every filter of this
 * API's chain does nothing but pass the request on (no token or key to read, an empty
 * security context, a grant by that same table). Measured on a cached catalog read: the
 * chain's operators cost such a request about 10 µs of its 60. The shortcut is taken only
 * when every filter of the chain is one known to be quiet for such a request
 * ({@link #QUIET_FOR_ANONYMOUS}); a chain with any other filter runs whole for everyone.
 * Anything the table does not open to everyone (and anything with an
 * {@code Authorization} or {@code X-API-Key} header, valid or not) runs the whole chain,
 * so denials, 401s and their security events are exactly the chain's.
 */
final class SecurityChainFilter implements WebFilter, Ordered {

	/** where Spring Security puts its proxy ({@code WebFluxSecurityConfiguration}) */
	static final int ORDER = -100;

	private final SecurityWebFilterChain chain;

	/**
	 * the chain's filters, collected once (at once for Spring's chains, which list them)
	 */
	private final Mono<List<WebFilter>> collected;

	private volatile List<WebFilter> filters;

	private final ServerWebExchangeFirewall firewall;

	private final ServerExchangeRejectedHandler rejected;

	/**
	 * Filters that pass a request without credentials on unchanged when the access table
	 * grants it: they read credentials that are not there, put an empty security context
	 * in place, or translate denials that the grant rules out.
	 */
	static final Set<String> QUIET_FOR_ANONYMOUS = Set.of(
			// puts the exchange in the Reactor context (package-private in
			// ServerHttpSecurity)
			"org.springframework.security.config.web.server.ServerHttpSecurity$ServerWebExchangeReactorContextWebFilter",
			SecurityConfiguration.NoStoreWhenAuthenticated.class.getName(), ReactorContextWebFilter.class.getName(),
			AuthenticationWebFilter.class.getName(), SecurityContextServerWebExchangeWebFilter.class.getName(),
			ExceptionTranslationWebFilter.class.getName(), AuthorizationWebFilter.class.getName(),
			// with the request cache disabled, as SecurityConfiguration has it: a no-op
			// cache
			ServerRequestCacheWebFilter.class.getName());

	/** who may call what without credentials, when the chain allows the shortcut */
	private final AccessTable access;

	private volatile boolean shortcut;

	SecurityChainFilter(SecurityWebFilterChain chain, ServerWebExchangeFirewall firewall,
			ServerExchangeRejectedHandler rejected, AccessTable access) {
		this.chain = chain;
		this.collected = chain.getWebFilters().collectList().map(List::copyOf).cache();
		this.firewall = firewall;
		this.rejected = rejected;
		this.access = access;
		this.collected.subscribe((filters) -> {
			List<String> unknown = notQuietForAnonymous(filters);
			if (!unknown.isEmpty()) {
				LoggerFactory.getLogger(SecurityChainFilter.class)
					.info("Every request runs the whole security chain: {} may act on requests without credentials",
							unknown);
			}
			this.shortcut = access != null && unknown.isEmpty();
			this.filters = filters;
		});
	}

	/**
	 * The classes of the filters not known to be quiet for requests without credentials.
	 */
	static List<String> notQuietForAnonymous(List<WebFilter> filters) {
		return filters.stream()
			.map((filter) -> filter.getClass().getName())
			.filter((name) -> !QUIET_FOR_ANONYMOUS.contains(name))
			.toList();
	}

	/**
	 * Whether requests without credentials that the access table opens to everyone skip
	 * the chain's filters.
	 */
	boolean takesAnonymousShortcut() {
		return this.shortcut;
	}

	/**
	 * Replaces Spring Security's proxy bean by this filter when the application has one
	 * security chain.
	 */
	static BeanPostProcessor replacing(ObjectProvider<SecurityWebFilterChain> chains,
			ObjectProvider<ServerWebExchangeFirewall> firewall, ObjectProvider<ServerExchangeRejectedHandler> rejected,
			ObjectProvider<AccessTable> access) {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String name) {
				if (bean instanceof WebFilterChainProxy) {
					List<SecurityWebFilterChain> all = chains.orderedStream().toList();
					if (all.size() == 1) {
						return new SecurityChainFilter(all.get(0), firewall.getObject(), rejected.getObject(),
								access.getIfAvailable());
					}
				}
				return bean;
			}

		};
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain next) {
		return this.firewall.getFirewalledExchange(exchange)
			.flatMap((firewalled) -> openToAnyone(firewalled) ? next.filter(firewalled)
					: this.chain.matches(firewalled)
						.flatMap((matches) -> matches ? secured(firewalled, next) : next.filter(firewalled)))
			.onErrorResume(ServerExchangeRejectedException.class,
					(failure) -> this.rejected.handle(exchange, failure).then(Mono.empty()));
	}

	private boolean openToAnyone(ServerWebExchange exchange) {
		if (!this.shortcut || Credentials.presented(exchange)) {
			return false;
		}
		ServerHttpRequest request = exchange.getRequest();
		RouteAccess.Rule rule = this.access.ruleFor(request.getMethod(), request.getPath().pathWithinApplication());
		return rule != null && rule.anonymous();
	}

	private Mono<Void> secured(ServerWebExchange exchange, WebFilterChain next) {
		List<WebFilter> known = this.filters;
		return (known != null) ? new Link(known, 0, next).filter(exchange)
				: this.collected.flatMap((filters) -> new Link(filters, 0, next).filter(exchange));
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public String toString() {
		return "SecurityChainFilter";
	}

	/**
	 * The rest of the security chain from one filter on, then the application's chain.
	 * <p>
	 * Each link holds its subscriber's context ({@link ContextAnchor}): the chain's
	 * filters write the context three times (the exchange, the security context twice),
	 * and with automatic context propagation each such write restores the thread locals
	 * of what is above it on every signal, asking for that context: without the anchors
	 * each question walked up through every filter above.
	 */
	private record Link(List<WebFilter> filters, int index, WebFilterChain next) implements WebFilterChain {

		@Override
		public Mono<Void> filter(ServerWebExchange exchange) {
			return ContextAnchor.anchored(Mono.defer(() -> (this.index < this.filters.size())
					? this.filters.get(this.index).filter(exchange, new Link(this.filters, this.index + 1, this.next))
					: this.next.filter(exchange)));
		}

	}

}
