package com.aqad.marketplace.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;

/**
 * Which rows admit every caller: only there may a bearer token skip the chain's
 * authorization ({@link SecurityChainFilter}).
 */
class RouteAccessRuleTests {

	@Test
	void onlyARowOpenToAnyoneWithoutRolesAdmitsEveryone() {
		assertThat(RouteAccess.Rule.anyone(HttpMethod.GET, "/api/v1/products").admitsEveryone()).isTrue();
		assertThat(RouteAccess.Rule.authenticated(HttpMethod.GET, "/api/v1/orders", null).admitsEveryone()).isFalse();
		assertThat(RouteAccess.Rule.roles(HttpMethod.GET, "/api/v1/admin/accounts", null, Role.ADMIN).admitsEveryone())
			.isFalse();
		// open to anonymous callers, yet of the authenticated only to administrators
		assertThat(new RouteAccess.Rule(HttpMethod.GET, "/x", true, Set.of(Role.ADMIN), null).admitsEveryone())
			.isFalse();
	}

}
