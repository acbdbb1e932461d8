package com.aqad.marketplace.identity;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.security.web.server.SecurityWebFilterChain;
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

	SecurityChainFilter(SecurityWebFilterChain chain, ServerWebExchangeFirewall firewall,
			ServerExchangeRejectedHandler rejected) {
		this.chain = chain;
		this.collected = chain.getWebFilters().collectList().map(List::copyOf).cache();
		this.collected.subscribe((filters) -> this.filters = filters);
		this.firewall = firewall;
		this.rejected = rejected;
	}

	/**
	 * Replaces Spring Security's proxy bean by this filter when the application has one
	 * security chain.
	 */
	static BeanPostProcessor replacing(ObjectProvider<SecurityWebFilterChain> chains,
			ObjectProvider<ServerWebExchangeFirewall> firewall,
			ObjectProvider<ServerExchangeRejectedHandler> rejected) {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String name) {
				if (bean instanceof WebFilterChainProxy) {
					List<SecurityWebFilterChain> all = chains.orderedStream().toList();
					if (all.size() == 1) {
						return new SecurityChainFilter(all.get(0), firewall.getObject(), rejected.getObject());
					}
				}
				return bean;
			}

		};
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain next) {
		return this.firewall.getFirewalledExchange(exchange)
			.flatMap((firewalled) -> this.chain.matches(firewalled)
				.flatMap((matches) -> matches ? secured(firewalled, next) : next.filter(firewalled)))
			.onErrorResume(ServerExchangeRejectedException.class,
					(failure) -> this.rejected.handle(exchange, failure).then(Mono.empty()));
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
	 */
	private record Link(List<WebFilter> filters, int index, WebFilterChain next) implements WebFilterChain {

		@Override
		public Mono<Void> filter(ServerWebExchange exchange) {
			return Mono.defer(() -> (this.index < this.filters.size())
					? this.filters.get(this.index).filter(exchange, new Link(this.filters, this.index + 1, this.next))
					: this.next.filter(exchange));
		}

	}

}
