package com.aqad.marketplace.identity;

import java.util.Set;

import org.springframework.http.HttpMethod;

/**
 * A feature's table of who may call which of its routes, contributed as a bean and
 * applied by the security filter chain ahead of routing. A route no table names is
 * refused (deny by default). Ownership (whose product, whose order) is decided by the
 * feature's service, after this gate: 404 when the caller may not see the resource, 403
 * when it may see it but not act on it.
 */
@FunctionalInterface
public interface RouteAccess {

	/**
	 * This feature's rules.
	 */
	Iterable<Rule> rules();

	/**
	 * One row of the table.
	 *
	 * @param method the HTTP method
	 * @param pattern the path pattern ({@code /api/v1/products/{id}})
	 * @param anonymous whether callers without credentials may call it
	 * @param roles the roles that may call it (empty: any authenticated role)
	 * @param scope the scope an API key needs for it; {@code null}: keys may not call it
	 */
	record Rule(HttpMethod method, String pattern, boolean anonymous, Set<Role> roles, Scope scope) {

		public Rule {
			roles = Set.copyOf(roles);
		}

		/**
		 * Anyone, with or without credentials (a key must still carry {@code scope} when
		 * one is named).
		 */
		public static Rule anyone(HttpMethod method, String pattern) {
			return new Rule(method, pattern, true, Set.of(), null);
		}

		/**
		 * Any authenticated account with a bearer token; API keys only with {@code scope}
		 * ({@code null}: never).
		 */
		public static Rule authenticated(HttpMethod method, String pattern, Scope scope) {
			return new Rule(method, pattern, false, Set.of(), scope);
		}

		/**
		 * Accounts of the given roles; API keys only with {@code scope} ({@code null}:
		 * never).
		 */
		public static Rule roles(HttpMethod method, String pattern, Scope scope, Role... roles) {
			return new Rule(method, pattern, false, Set.of(roles), scope);
		}

		/**
		 * Whether this rule lets every caller in, anonymous or not.
		 */
		public boolean admitsEveryone() {
			return this.anonymous && this.roles.isEmpty();
		}

		/**
		 * Whether this rule lets the given caller in ({@code null}: anonymous).
		 */
		public boolean admits(Caller caller) {
			if (caller == null) {
				return this.anonymous;
			}
			if (caller.viaApiKey() && !this.anonymous && (this.scope == null || !caller.may(this.scope))) {
				return false;
			}
			return this.roles.isEmpty() || this.roles.contains(caller.role());
		}

	}

}
