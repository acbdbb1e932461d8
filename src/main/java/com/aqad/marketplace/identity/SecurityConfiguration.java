package com.aqad.marketplace.identity;

import java.time.Clock;
import java.util.List;

import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import com.aqad.marketplace.platform.web.ApiException;
import com.aqad.marketplace.platform.web.ProblemDetailsHandler;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.security.autoconfigure.actuate.web.reactive.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.ReactiveAuthenticationManagerResolver;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtIssuerReactiveAuthenticationManagerResolver;
import org.springframework.security.oauth2.server.resource.authentication.JwtReactiveAuthenticationManager;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.web.reactive.function.server.support.RouterFunctionMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * The security filter chain: a stateless API (no cookies, sessions, CSRF tokens or login
 * forms) where bearer tokens are verified by Spring Security's resource server and API
 * keys by {@link ApiKeyService}, and every route is let through only by a row of some
 * feature's {@link RouteAccess} table. A request that matches a route no table names is
 * refused; one that matches no route goes on to its 404, 405 or 406.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfiguration {

	/** verified bearer tokens remembered until they expire (about 1 KiB each) */
	private static final int VERIFIED_TOKENS = 50_000;

	/**
	 * No observation per security filter, authentication and authorization: on every
	 * request they cost more than they tell an API (HTTP server observations remain).
	 */
	@Bean
	SecurityObservationSettings securityObservations() {
		return SecurityObservationSettings.noObservations();
	}

	/**
	 * Requests the firewall refuses (an encoded NUL, {@code //}, {@code ..} in the path,
	 * a control character in a header) get a 400 problem like any other error.
	 */
	@Bean
	ServerExchangeRejectedHandler rejectedExchanges(ProblemDetailsHandler problems) {
		return (exchange, rejected) -> problems.handle(exchange, new ApiException(HttpStatus.BAD_REQUEST,
				"malformed_request", "The request's path or headers contain what this API does not accept."));
	}

	/**
	 * This API's one security chain run without Spring Security's generic proxy around it
	 * (see {@link SecurityChainFilter}).
	 */
	@Bean
	static BeanPostProcessor securityChainFilter(ObjectProvider<SecurityWebFilterChain> chains,
			ObjectProvider<ServerWebExchangeFirewall> firewall, ObjectProvider<ServerExchangeRejectedHandler> rejected,
			ObjectProvider<AccessTable> access, ObjectProvider<BearerAuthentication> bearer) {
		return SecurityChainFilter.replacing(chains, firewall, rejected, access, bearer);
	}

	/**
	 * Who may call what: every feature's {@link RouteAccess} rows, deny by default.
	 */
	@Bean
	AccessTable accessTable(List<RouteAccess> tables,
			@Qualifier("routerFunctionMapping") ObjectProvider<RouterFunctionMapping> routes) {
		return new AccessTable(tables, EndpointRequest.toAnyEndpoint(), routes);
	}

	@Bean
	ServerWebExchangeFirewall firewall() {
		return new RequestFirewall();
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	/**
	 * Bearer tokens: read by {@link BearerTokens}, verified by the issuer's verifier
	 * (ours remembers verified tokens until they expire), refused by {@link Credentials}.
	 */
	@Bean
	BearerAuthentication bearerAuthentication(AccessTokens tokens, TokenCallers callers, Credentials credentials,
			Clock clock, IdentityProperties properties) {
		JwtReactiveAuthenticationManager verifier = new JwtReactiveAuthenticationManager(tokens.decoder());
		verifier.setJwtAuthenticationConverter(callers);
		VerifiedTokens jwt = new VerifiedTokens(verifier, callers, clock, VERIFIED_TOKENS);
		// only our own tokens are remembered, so the issuer needs no resolving for them
		return new BearerAuthentication(new BearerTokens(), trustedIssuers(jwt, tokens, properties), credentials,
				jwt::remembered);
	}

	@Bean
	SecurityWebFilterChain apiSecurity(ServerHttpSecurity http, AccessTable access, BearerAuthentication bearer,
			ApiKeyService apiKeys, Credentials credentials) {
		return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
			.anonymous(ServerHttpSecurity.AnonymousSpec::disable)
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			// platform/web's CrossOrigin, ahead of this chain, answers CORS (refusals as
			// problems)
			.cors(ServerHttpSecurity.CorsSpec::disable)
			// written by platform/web's SecurityHeaders on every response, errors
			// included
			.headers(ServerHttpSecurity.HeaderSpec::disable)
			.oauth2ResourceServer((resourceServer) -> resourceServer.bearerTokenConverter(bearer.converter())
				.authenticationManagerResolver(bearer.managers())
				.authenticationEntryPoint(bearer.entryPoint())
				.accessDeniedHandler(credentials))
			.exceptionHandling(
					(exceptions) -> exceptions.authenticationEntryPoint(credentials).accessDeniedHandler(credentials))
			.addFilterAt(apiKeyFilter(apiKeys, credentials), SecurityWebFiltersOrder.AUTHENTICATION)
			.addFilterAt(new NoStoreWhenAuthenticated(), SecurityWebFiltersOrder.FIRST)
			.authorizeExchange((exchanges) -> exchanges.anyExchange().access(access))
			.build();
	}

	/**
	 * Our own tokens, and, when configured, the external provider's: the token's issuer
	 * picks the verifier (keys, audience and claims of that issuer).
	 */
	private static ReactiveAuthenticationManagerResolver<ServerWebExchange> trustedIssuers(
			ReactiveAuthenticationManager ours, AccessTokens tokens, IdentityProperties properties) {
		IdentityProperties.External external = properties.external();
		if (!external.enabled()) {
			return (exchange) -> Mono.just(ours);
		}
		LoggerFactory.getLogger(SecurityConfiguration.class)
			.info("Also trusting the tokens of {} (audience {})", external.issuerUri(), external.audience());
		NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withIssuerLocation(external.issuerUri()).build();
		decoder.setJwtValidator(tokens.validator(external.issuerUri(), external.audience()));
		JwtReactiveAuthenticationManager theirs = new JwtReactiveAuthenticationManager(decoder);
		theirs.setJwtAuthenticationConverter(new ExternalCallers(external));
		return new JwtIssuerReactiveAuthenticationManagerResolver((issuer) -> {
			if (issuer.equals(properties.issuer())) {
				return Mono.just(ours);
			}
			return issuer.equals(external.issuerUri()) ? Mono.just(theirs) : Mono.empty();
		});
	}

	private static AuthenticationWebFilter apiKeyFilter(ApiKeyService apiKeys, Credentials credentials) {
		AuthenticationWebFilter filter = new AuthenticationWebFilter((Authentication presented) -> apiKeys
			.authenticate((String) presented.getCredentials())
			.<Authentication>map(CallerAuthentication::new)
			.switchIfEmpty(Mono.error(() -> new BadCredentialsException("Unknown, revoked or suspended API key"))));
		filter.setServerAuthenticationConverter((exchange) -> {
			HttpHeaders headers = exchange.getRequest().getHeaders();
			String key = headers.getFirst(Credentials.API_KEY_HEADER);
			if (key == null) {
				return Mono.empty();
			}
			if (headers.containsHeader(HttpHeaders.AUTHORIZATION)) {
				return Mono.error(new ApiException(HttpStatus.BAD_REQUEST, "ambiguous_credentials",
						"Send either a bearer token or an API key, not both."));
			}
			return Mono.just(ApiKeyAuthentication.presented(key));
		});
		filter.setAuthenticationFailureHandler(new ServerAuthenticationEntryPointFailureHandler(credentials));
		filter.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());
		return filter;
	}

	/**
	 * Nothing answered to a request with credentials may be stored by any cache.
	 */
	static final class NoStoreWhenAuthenticated implements WebFilter {

		@Override
		public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
			if (Credentials.presented(exchange)) {
				mark(exchange);
			}
			return chain.filter(exchange);
		}

		/** the answer to this exchange will say {@code no-store} */
		static void mark(ServerWebExchange exchange) {
			exchange.getResponse().beforeCommit(() -> {
				exchange.getResponse().getHeaders().setCacheControl("no-store");
				return Mono.empty();
			});
		}

		@Override
		public String toString() {
			return "NoStoreWhenAuthenticated";
		}

	}

}
