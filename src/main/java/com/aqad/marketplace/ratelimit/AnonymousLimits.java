package com.aqad.marketplace.ratelimit;

import java.util.ArrayList;
import java.util.List;

import io.github.resilience4j.ratelimiter.RateLimiter;
import reactor.core.publisher.Mono;

import com.aqad.marketplace.platform.web.ApiException;
import com.aqad.marketplace.ratelimit.RateLimitProperties.Key;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * The first line, before authentication, so that a flood costs as little as possible: the
 * instance's total cap (a local Resilience4j limiter: beyond it every request gets 503
 * {@code busy} at once), then the policies keyed by client address or login email, for
 * requests that present no credentials. Requests with credentials are limited by
 * {@link CallerLimits} once authenticated, never by their address.
 */
final class AnonymousLimits implements WebFilter, Ordered {

	/**
	 * after the request id and body size filters, before Spring Security's chain (-100)
	 */
	static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

	private static final String API_KEY_HEADER = "X-API-Key";

	private final RateLimiter instanceCap;

	private final List<RateLimitPolicy> policies;

	private final ClientAddress addresses;

	private final LoginEmail emails;

	private final RequestLimits limits;

	AnonymousLimits(RateLimiter instanceCap, List<RateLimitPolicy> policies, ClientAddress addresses, LoginEmail emails,
			RequestLimits limits) {
		this.instanceCap = instanceCap;
		this.policies = policies.stream().filter((policy) -> policy.key().anonymous()).toList();
		this.addresses = addresses;
		this.emails = emails;
		this.limits = limits;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!this.instanceCap.acquirePermission()) {
			return Mono.error(new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "busy",
					"This server is taking all the requests it can; retry in a moment.")
				.withHeader(HttpHeaders.RETRY_AFTER, "1"));
		}
		ServerHttpRequest request = exchange.getRequest();
		if (presentsCredentials(request.getHeaders())) {
			return chain.filter(exchange);
		}
		List<RateLimitPolicy> matching = new ArrayList<>(2);
		boolean byEmail = false;
		for (RateLimitPolicy policy : this.policies) {
			if (policy.matches(request)) {
				matching.add(policy);
				byEmail |= policy.key() == Key.EMAIL;
			}
		}
		if (matching.isEmpty()) {
			return chain.filter(exchange);
		}
		String address = "ip:" + this.addresses.of(request);
		if (!byEmail) {
			return this.limits.filter(exchange, chain, charges(matching, address, null));
		}
		return this.emails.read(exchange)
			.flatMap((read) -> this.limits.filter(read.exchange(), chain, charges(matching, address, read.subject())));
	}

	private static List<Charge> charges(List<RateLimitPolicy> policies, String address, String email) {
		List<Charge> charges = new ArrayList<>(policies.size());
		for (RateLimitPolicy policy : policies) {
			String subject = (policy.key() == Key.EMAIL) ? email : address;
			if (subject != null) {
				charges.add(new Charge(policy, subject, policy.buckets(null)));
			}
		}
		return charges;
	}

	static boolean presentsCredentials(HttpHeaders headers) {
		return headers.containsHeader(HttpHeaders.AUTHORIZATION) || headers.containsHeader(API_KEY_HEADER);
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
		return "AnonymousLimits";
	}

}
