package com.aqad.marketplace.ratelimit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import reactor.core.publisher.Mono;

import com.aqad.marketplace.identity.Caller;
import com.aqad.marketplace.ratelimit.RateLimitProperties.Key;

import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * The policies keyed by who is calling, right after Spring Security's chain has
 * authenticated the request: by account, or by API key, with the buckets of the account's
 * tier.
 */
final class CallerLimits implements WebFilter, Ordered {

	/** right after Spring Security's chain (-100) */
	static final int ORDER = -99;

	private final List<RateLimitPolicy> policies;

	private final RequestLimits limits;

	private final Set<String> shadowTiers;

	CallerLimits(List<RateLimitPolicy> policies, RequestLimits limits, Set<String> shadowTiers) {
		this.policies = policies.stream().filter((policy) -> !policy.key().anonymous()).toList();
		this.limits = limits;
		this.shadowTiers = Set.copyOf(shadowTiers);
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!AnonymousLimits.presentsCredentials(exchange.getRequest().getHeaders())) {
			// anonymous: nothing to look up (the security chain let it through without
			// any)
			return chain.filter(exchange);
		}
		Caller known = exchange.getAttribute(Caller.ATTRIBUTE);
		if (known != null) {
			return this.limits.filter(exchange, chain, charges(known, exchange.getRequest()));
		}
		return Caller.current()
			.map((caller) -> charges(caller, exchange.getRequest()))
			.defaultIfEmpty(List.of())
			.flatMap((charges) -> this.limits.filter(exchange, chain, charges));
	}

	private List<Charge> charges(Caller caller, ServerHttpRequest request) {
		List<Charge> charges = new ArrayList<>(2);
		for (RateLimitPolicy policy : this.policies) {
			if (policy.matches(request)) {
				boolean shadow = policy.shadow() || (caller.tier() != null && this.shadowTiers.contains(caller.tier()));
				charges.add(new Charge(policy, subject(policy.key(), caller), policy.buckets(caller.tier()), shadow));
			}
		}
		return charges;
	}

	private static String subject(Key key, Caller caller) {
		if (key == Key.API_KEY && caller.viaApiKey()) {
			return "key:" + caller.apiKeyId();
		}
		return "account:" + caller.accountId();
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	/**
	 * The name of this filter's checkpoint on every request (Object's would build a
	 * string with an identity hash each time).
	 */
	@Override
	public String toString() {
		return "CallerLimits";
	}

}
