package com.aqad.marketplace.platform.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter.Mode;

/**
 * The HTTP edge's security: a stateless API (no cookies, no CSRF tokens, no login forms)
 * with the contract's security headers on every response. {@code Cache-Control: no-store}
 * is the default for every response that does not set its own caching (public catalog
 * reads do). HSTS is sent on TLS requests; behind a TLS-terminating proxy set
 * {@code server.forward-headers-strategy} so that the scheme is seen.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class WebSecurity {

	@Bean
	SecurityWebFilterChain apiSecurity(ServerHttpSecurity http, WebProperties properties) {
		return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.headers((headers) -> headers.frameOptions((frame) -> frame.mode(Mode.DENY))
				.referrerPolicy((referrer) -> referrer.policy(ReferrerPolicy.NO_REFERRER))
				.contentSecurityPolicy((csp) -> csp.policyDirectives(properties.contentSecurityPolicy())))
			// Only the public catalog exists so far; identity adds authentication and
			// per-route rules.
			.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll())
			.build();
	}

}
