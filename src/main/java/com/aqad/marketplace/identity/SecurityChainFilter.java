package com.aqad.marketplace.identity;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import com.aqad.marketplace.platform.web.ContextAnchor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authorization.AuthorizationWebFilter;
import org.springframework.security.web.server.authorization.ExceptionTranslationWebFilter;
import org.springframework.security.web.server.context.ReactorContextWebFilter;
import org.springframework.security.web.server.context.SecurityContextServerWebExchange;
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
 * <p>
 * <b>A bearer token</b> (and no API key) on such a route is verified by the chain's own
 * {@link BearerAuthentication} (converter, the issuer's verifier, the failure handler the
 * resource server builds around the same entry point), and the request goes on with the
 * security context and exchange the chain's filters would have put in place, without the
 * chain's eight filters and three context writes around it (measured: about a third of a
 * bearer read's CPU). The grant needs no question: this is done only where the route's
 * row admits every caller. A refused token gets the chain's answer (401 with its security
 * event); a header the converter cannot read as a bearer token runs the whole chain.
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

	/**
	 * how the chain verifies bearer tokens, or {@code null}: bearer tokens run the chain
	 */
	private final BearerAuthentication bearer;

	/** what the resource server's filter does with a refused token */
	private final ServerAuthenticationFailureHandler bearerRefused;

	SecurityChainFilter(SecurityWebFilterChain chain, ServerWebExchangeFirewall firewall,
			ServerExchangeRejectedHandler rejected, AccessTable access, BearerAuthentication bearer) {
		this.bearer = bearer;
		this.bearerRefused = (bearer != null) ? new ServerAuthenticationEntryPointFailureHandler(bearer.entryPoint())
				: null;
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
	 * Whether bearer tokens on routes the access table opens to everyone skip the chain's
	 * filters.
	 */
	boolean takesBearerShortcut() {
		return this.shortcut && this.bearer != null;
	}

	/**
	 * Replaces Spring Security's proxy bean by this filter when the application has one
	 * security chain.
	 */
	static BeanPostProcessor replacing(ObjectProvider<SecurityWebFilterChain> chains,
			ObjectProvider<ServerWebExchangeFirewall> firewall, ObjectProvider<ServerExchangeRejectedHandler> rejected,
			ObjectProvider<AccessTable> access, ObjectProvider<BearerAuthentication> bearer) {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String name) {
				if (bean instanceof WebFilterChainProxy) {
					List<SecurityWebFilterChain> all = chains.orderedStream().toList();
					if (all.size() == 1) {
						return new SecurityChainFilter(all.get(0), firewall.getObject(), rejected.getObject(),
								access.getIfAvailable(), bearer.getIfAvailable());
					}
				}
				return bean;
			}

		};
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain next) {
		return this.firewall.getFirewalledExchange(exchange).flatMap((firewalled) -> switch (shortcut(firewalled)) {
			case ANONYMOUS -> next.filter(firewalled);
			case BEARER -> bearerOnOpenRoute(exchange, firewalled, next);
			case NONE -> whole(firewalled, next);
		})
			.onErrorResume(ServerExchangeRejectedException.class,
					(failure) -> this.rejected.handle(exchange, failure).then(Mono.empty()));
	}

	/** which way past the chain's filters a request may take */
	private enum Shortcut {

		/** none: the whole chain */
		NONE,
		/** no credentials on a route open to everyone */
		ANONYMOUS,
		/** a bearer token (no API key) on a route open to everyone */
		BEARER

	}

	private Shortcut shortcut(ServerWebExchange exchange) {
		if (!this.shortcut) {
			return Shortcut.NONE;
		}
		ServerHttpRequest request = exchange.getRequest();
		HttpHeaders headers = request.getHeaders();
		boolean bearer = headers.containsHeader(HttpHeaders.AUTHORIZATION);
		if ((bearer && this.bearer == null) || headers.containsHeader(Credentials.API_KEY_HEADER)) {
			return Shortcut.NONE;
		}
		RouteAccess.Rule rule = this.access.ruleFor(request.getMethod(), request.getPath().pathWithinApplication());
		if (rule == null || !rule.anonymous()) {
			return Shortcut.NONE;
		}
		if (!bearer) {
			return Shortcut.ANONYMOUS;
		}
		// the grant is asked of nobody: only where the row admits every caller
		return rule.admitsEveryone() ? Shortcut.BEARER : Shortcut.NONE;
	}

	/**
	 * What the chain does for a bearer token on a route open to everyone, by its own
	 * parts: the request is marked no-store, the token verified by the issuer's verifier
	 * (a refusal answered by the resource server's failure handler, around the downstream
	 * chain as {@link AuthenticationWebFilter} has it), and the request goes on with the
	 * exchange and the security context in the Reactor context and the exchange's
	 * principal. A header the converter does not read as a token runs the whole chain.
	 */
	private Mono<Void> bearerOnOpenRoute(ServerWebExchange unchecked, ServerWebExchange exchange, WebFilterChain next) {
		Authentication remembered = remembered(unchecked);
		if (remembered != null) {
			SecurityConfiguration.NoStoreWhenAuthenticated.mark(exchange);
			return refusedAsTheChainWould(proceed(exchange, next, remembered), exchange, next);
		}
		return this.bearer.converter()
			.convert(exchange)
			.map(Optional::of)
			.onErrorResume((unreadable) -> Mono.just(Optional.empty()))
			.defaultIfEmpty(Optional.empty())
			.flatMap((token) -> token.isPresent() ? authenticated(exchange, next, token.get()) : whole(exchange, next));
	}

	/**
	 * The authentication of a token the verifier remembers and needs to ask no one about
	 * ({@link BearerAuthentication#remembered}), read by the chain's own converter from
	 * the request as it came, past the firewall: such a token is {@code Bearer} and
	 * b64token characters only ({@link BearerTokens#wellFormed}), every one of which the
	 * firewall allows in a header value, so the firewall's check of the header (its 800
	 * characters, 4 % of a bearer read's CPU) could not refuse it. Any other header takes
	 * the checked way, through the firewall.
	 */
	private Authentication remembered(ServerWebExchange unchecked) {
		if (!(this.bearer.converter() instanceof BearerTokens)) {
			return null;
		}
		String token = BearerTokens.wellFormed(unchecked.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
		return (token != null) ? this.bearer.remembered().apply(token) : null;
	}

	/** the whole chain, when it matches the request (as the proxy does) */
	private Mono<Void> whole(ServerWebExchange exchange, WebFilterChain next) {
		return this.chain.matches(exchange)
			.flatMap((matches) -> matches ? secured(exchange, next) : next.filter(exchange));
	}

	private Mono<Void> authenticated(ServerWebExchange exchange, WebFilterChain next, Authentication token) {
		SecurityConfiguration.NoStoreWhenAuthenticated.mark(exchange);
		return this.bearer.managers()
			.resolve(exchange)
			.flatMap((manager) -> manager.authenticate(token))
			.switchIfEmpty(Mono
				.defer(() -> Mono.error(new IllegalStateException("No provider found for " + token.getClass()))))
			.flatMap((authentication) -> proceed(exchange, next, authentication))
			.as((authenticated) -> refusedAsTheChainWould(authenticated, exchange, next));
	}

	/**
	 * An authentication failure, the verifier's or one raised further down the chain, is
	 * answered by the resource server's failure handler, as
	 * {@link AuthenticationWebFilter} does around the rest of the chain.
	 */
	private Mono<Void> refusedAsTheChainWould(Mono<Void> authenticated, ServerWebExchange exchange,
			WebFilterChain next) {
		return authenticated.onErrorResume(AuthenticationException.class, (failure) -> this.bearerRefused
			.onAuthenticationFailure(new WebFilterExchange(exchange, next), failure));
	}

	/**
	 * The rest of the request as the caller's: with the exchange and the security context
	 * in the Reactor context, the exchange's principal, and the caller on the exchange
	 * ({@link Caller#ATTRIBUTE}) for the filters after this one.
	 */
	private Mono<Void> proceed(ServerWebExchange exchange, WebFilterChain next, Authentication authentication) {
		if (authentication.getPrincipal() instanceof Caller caller) {
			exchange.getAttributes().put(Caller.ATTRIBUTE, caller);
		}
		Mono<SecurityContext> context = Mono.just(new SecurityContextImpl(authentication));
		// one write for the two the chain makes (exchange, security context)
		Context written = Context.of(ServerWebExchange.class, exchange)
			.putAll(ReactiveSecurityContextHolder.withSecurityContext(context).readOnly());
		return ContextAnchor.anchored(next.filter(new SecurityContextServerWebExchange(exchange, context)), written);
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
