package com.aqad.marketplace.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.server.MatcherSecurityWebFilterChain;
import org.springframework.security.web.server.authorization.AuthorizationWebFilter;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.reactive.function.server.support.RouterFunctionMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;

/**
 * Which requests skip the chain's filters, and what they carry on with: a chain whose one
 * filter counts the requests it sees, in front of an application that records who it was
 * called by.
 */
class SecurityChainFilterTests {

	private final AtomicInteger chainRuns = new AtomicInteger();

	private final SecurityChainFilter filter;

	SecurityChainFilterTests() {
		ReactiveAuthorizationManager<ServerWebExchange> counting = (authentication, exchange) -> {
			this.chainRuns.incrementAndGet();
			return Mono.just(new AuthorizationDecision(true));
		};
		MatcherSecurityWebFilterChain chain = new MatcherSecurityWebFilterChain(ServerWebExchangeMatchers.anyExchange(),
				List.of(new AuthorizationWebFilter(counting)));
		RouteAccess rows = () -> List.of(RouteAccess.Rule.anyone(HttpMethod.GET, "/open"),
				RouteAccess.Rule.authenticated(HttpMethod.GET, "/closed", null));
		AccessTable access = new AccessTable(List.of(rows),
				(exchange) -> ServerWebExchangeMatcher.MatchResult.notMatch(),
				new StaticListableBeanFactory().getBeanProvider(RouterFunctionMapping.class));
		BearerAuthentication bearer = new BearerAuthentication(new BearerTokens(),
				(exchange) -> Mono.just(this::verify), (exchange, failure) -> {
					exchange.getResponse().setStatusCode(HttpStatus.UNAUTHORIZED);
					return Mono.empty();
				}, (token) -> "remembered".equals(token) ? REMEMBERED : null);
		this.filter = new SecurityChainFilter(chain, new RequestFirewall(), (exchange, rejected) -> {
			exchange.getResponse().setStatusCode(HttpStatus.BAD_REQUEST);
			return Mono.empty();
		}, access, bearer);
	}

	private static final Caller REMEMBERED_CALLER = new Caller(UUID.randomUUID(), Role.RETAILER, UUID.randomUUID(),
			"session", null, Set.of(), null);

	private static final CallerAuthentication REMEMBERED = new CallerAuthentication(REMEMBERED_CALLER);

	private final AtomicInteger verifications = new AtomicInteger();

	private Mono<Authentication> verify(Authentication presented) {
		this.verifications.incrementAndGet();
		return "good".equals(presented.getCredentials())
				? Mono.just(new TestingAuthenticationToken("caller", null, "ROLE_RETAILER"))
				: Mono.error(new BadCredentialsException("refused"));
	}

	@Test
	void aRememberedTokenIsNeitherVerifiedAgainNorChainedAndPutsItsCallerOnTheExchange() {
		Called called = call("/open", "Bearer remembered");

		assertThat(this.verifications).hasValue(0);
		assertThat(this.chainRuns).hasValue(0);
		assertThat(called.fromContext).hasValue(REMEMBERED_CALLER.accountId().toString());
		assertThat(called.principal).hasValue(REMEMBERED_CALLER.accountId().toString());
		assertThat((Caller) called.exchange.getAttribute(Caller.ATTRIBUTE)).isEqualTo(REMEMBERED_CALLER);
		assertThat(called.exchange.getResponse().getHeaders().getCacheControl()).isEqualTo("no-store");
	}

	@Test
	void anAuthenticationFailureFurtherDownIsAnsweredByTheEntryPointForARememberedTokenToo() {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.get("/open").header(HttpHeaders.AUTHORIZATION, "Bearer remembered"));
		WebFilterChain failing = (ignored) -> Mono.error(new BadCredentialsException("refused further down"));

		this.filter.filter(exchange, failing).block(Duration.ofSeconds(5));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(this.verifications).hasValue(0);
	}

	@Test
	void aRememberedTokenInAHeaderTheFirewallRefusesIsRefused() {
		// not a well-formed token: read through the firewall, which refuses the control
		// character
		Called called = call("/open", "Bearer remembered\u0007");

		assertThat(called.exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(called.fromContext).hasValue(null);
		assertThat(this.verifications).hasValue(0);
	}

	@Test
	void aTokenNotRememberedIsVerifiedAndLeavesNoCallerOnTheExchangeOfTheChain() {
		Called called = call("/open", "Bearer good");
		assertThat(this.verifications).hasValue(1);
		assertThat(called.fromContext).hasValue("caller");

		Called closed = call("/closed", "Bearer remembered");
		// a closed route runs the whole chain
		assertThat(this.chainRuns).hasValue(1);
		assertThat((Caller) closed.exchange.getAttribute(Caller.ATTRIBUTE)).isNull();
	}

	@Test
	void aVerifiedBearerTokenOnAnOpenRouteSkipsTheChainAndCarriesItsCallerOn() {
		Called called = call("/open", "Bearer good");

		assertThat(this.chainRuns).hasValue(0);
		assertThat(called.fromContext).hasValue("caller");
		assertThat(called.principal).hasValue("caller");
		assertThat(called.exchange.getResponse().getHeaders().getCacheControl()).isEqualTo("no-store");
	}

	@Test
	void aRefusedBearerTokenOnAnOpenRouteIsAnsweredByTheEntryPoint() {
		Called called = call("/open", "Bearer bad");

		assertThat(called.fromContext).hasValue(null);
		assertThat(called.exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(called.exchange.getResponse().getHeaders().getCacheControl()).isEqualTo("no-store");
	}

	@Test
	void anOpenRouteWithoutCredentialsSkipsTheChainAnonymously() {
		Called called = call("/open", null);

		assertThat(this.chainRuns).hasValue(0);
		assertThat(called.fromContext).hasValue("anonymous");
	}

	@Test
	void aBearerTokenOnAClosedRouteOrAHeaderThatIsNoTokenRunsTheChain() {
		call("/closed", "Bearer good");
		assertThat(this.chainRuns).hasValue(1);
		call("/open", "Bearer !!!");
		assertThat(this.chainRuns).hasValue(2);
		call("/open", "Basic dXNlcjpwYXNz");
		assertThat(this.chainRuns).hasValue(3);
	}

	private Called call(String path, String authorization) {
		MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get(path);
		if (authorization != null) {
			request.header(HttpHeaders.AUTHORIZATION, authorization);
		}
		Called called = new Called(MockServerWebExchange.from(request));
		WebFilterChain application = (exchange) -> ReactiveSecurityContextHolder.getContext()
			.map(SecurityContext::getAuthentication)
			.map(Authentication::getName)
			.defaultIfEmpty("anonymous")
			.doOnNext(called.fromContext::set)
			.then(exchange.getPrincipal().doOnNext((principal) -> called.principal.set(principal.getName())))
			.then();
		this.filter.filter(called.exchange, application)
			.then(Mono.defer(() -> called.exchange.getResponse().setComplete()))
			.block(Duration.ofSeconds(5));
		return called;
	}

	private static final class Called {

		final MockServerWebExchange exchange;

		final AtomicReference<String> fromContext = new AtomicReference<>();

		final AtomicReference<String> principal = new AtomicReference<>();

		Called(MockServerWebExchange exchange) {
			this.exchange = exchange;
		}

	}

}
