package com.aqad.marketplace.identity;

import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.web.reactive.function.server.RequestPredicates.accept;
import static org.springframework.web.reactive.function.server.RequestPredicates.contentType;

import java.util.List;

import com.aqad.marketplace.identity.RouteAccess.Rule;
import com.aqad.marketplace.platform.web.FeatureRoutes;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunctions;

/**
 * Identity's routes and who may call them.
 */
@Configuration(proxyBeanMethods = false)
class IdentityRoutes {

	private static final RequestPredicate JSON_IN = contentType(MediaType.APPLICATION_JSON)
		.and(accept(MediaType.APPLICATION_JSON));

	@Bean
	FeatureRoutes identityRouter(AuthHandler auth, AccountHandler accounts, ApiKeyHandler keys,
			WellKnownHandler wellKnown) {
		return new FeatureRoutes(RouterFunctions.route()
			.GET("/.well-known/jwks.json", wellKnown::jwks)
			.GET("/.well-known/openid-configuration", wellKnown::openidConfiguration)
			.path("/api/v1",
					(api) -> api.POST("/auth/register", JSON_IN, auth::register)
						.POST("/auth/login", JSON_IN, auth::login)
						.POST("/auth/refresh", JSON_IN, auth::refresh)
						.POST("/auth/logout", auth::logout)
						.GET("/auth/sessions", accept(MediaType.APPLICATION_JSON), auth::sessions)
						.DELETE("/auth/sessions/{id}", auth::endSession)
						.GET("/me", accept(MediaType.APPLICATION_JSON), accounts::me)
						.POST("/api-keys", JSON_IN, keys::create)
						.GET("/api-keys", accept(MediaType.APPLICATION_JSON), keys::list)
						.DELETE("/api-keys/{id}", keys::revoke)
						.POST("/admin/accounts", JSON_IN, accounts::create)
						.GET("/admin/accounts", accept(MediaType.APPLICATION_JSON), accounts::list)
						.POST("/admin/accounts/{id}/suspend", accounts::suspend))
			.build());
	}

	/**
	 * Who may call identity's routes. Sessions, keys and accounts are managed with a
	 * bearer token only: an API key can neither mint keys nor act on sessions.
	 */
	@Bean
	RouteAccess identityAccess() {
		return () -> List.of(Rule.anyone(GET, "/.well-known/jwks.json"),
				Rule.anyone(GET, "/.well-known/openid-configuration"), Rule.anyone(POST, "/api/v1/auth/register"),
				Rule.anyone(POST, "/api/v1/auth/login"), Rule.anyone(POST, "/api/v1/auth/refresh"),
				Rule.authenticated(POST, "/api/v1/auth/logout", null),
				Rule.authenticated(GET, "/api/v1/auth/sessions", null),
				Rule.authenticated(DELETE, "/api/v1/auth/sessions/{id}", null),
				Rule.authenticated(GET, "/api/v1/me", null), Rule.authenticated(POST, "/api/v1/api-keys", null),
				Rule.authenticated(GET, "/api/v1/api-keys", null),
				Rule.authenticated(DELETE, "/api/v1/api-keys/{id}", null),
				Rule.roles(POST, "/api/v1/admin/accounts", null, Role.ADMIN),
				Rule.roles(GET, "/api/v1/admin/accounts", null, Role.ADMIN),
				Rule.roles(POST, "/api/v1/admin/accounts/{id}/suspend", null, Role.ADMIN));
	}

}
