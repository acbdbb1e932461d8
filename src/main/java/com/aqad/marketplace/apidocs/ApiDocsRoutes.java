package com.aqad.marketplace.apidocs;

import static org.springframework.http.HttpMethod.GET;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;

import com.aqad.marketplace.identity.RouteAccess;
import com.aqad.marketplace.identity.RouteAccess.Rule;
import com.aqad.marketplace.platform.web.FeatureRoutes;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code /v3/api-docs} (JSON), {@code /v3/api-docs.yaml} (the document as written) and
 * Swagger UI under {@code /swagger-ui/}, for anyone. Swagger UI's pages get their own
 * Content-Security-Policy (scripts and styles from this origin, the inline styles the UI
 * sets, images from data URLs); every other answer keeps the API's {@code default-src
 * 'none'}.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocsRoutes {

	static final String SWAGGER_UI_POLICY = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
			+ "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

	private static final CacheControl DOCUMENT_CACHING = CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic();

	@Bean
	FeatureRoutes apiDocsRouter() {
		ApiDescription description = ApiDescription.load();
		MediaType yaml = MediaType.parseMediaType("application/yaml");
		BiConsumer<Resource, HttpHeaders> swaggerUiHeaders = (resource, headers) -> {
			headers.set("Content-Security-Policy", SWAGGER_UI_POLICY);
			headers.setCacheControl(DOCUMENT_CACHING);
		};
		RouterFunction<ServerResponse> swaggerUi = RouterFunctions.route()
			.GET("/swagger-ui", (request) -> toIndex())
			.GET("/swagger-ui/", (request) -> toIndex())
			.resource(RequestPredicates.GET("/swagger-ui/swagger-initializer.js"),
					new ClassPathResource("openapi/swagger-initializer.js"), swaggerUiHeaders)
			.resources("/swagger-ui/**", ApiDescription.swaggerUi(), swaggerUiHeaders)
			.build();
		return new FeatureRoutes(RouterFunctions.route()
			.GET("/v3/api-docs",
					(request) -> ServerResponse.ok()
						.contentType(MediaType.APPLICATION_JSON)
						.cacheControl(DOCUMENT_CACHING)
						.bodyValue(description.json()))
			.GET("/v3/api-docs.yaml",
					(request) -> ServerResponse.ok()
						.contentType(yaml)
						.cacheControl(DOCUMENT_CACHING)
						.bodyValue(description.yaml()))
			.build()
			.and(swaggerUi));
	}

	private static Mono<ServerResponse> toIndex() {
		return ServerResponse.permanentRedirect(URI.create("/swagger-ui/index.html")).build();
	}

	@Bean
	RouteAccess apiDocsAccess() {
		return () -> List.of(Rule.anyone(GET, "/v3/api-docs"), Rule.anyone(GET, "/v3/api-docs.yaml"),
				Rule.anyone(GET, "/swagger-ui"), Rule.anyone(GET, "/swagger-ui/**"));
	}

}
