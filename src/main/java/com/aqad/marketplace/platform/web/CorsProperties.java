package com.aqad.marketplace.platform.web;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;

/**
 * {@code aqad.cors.*}: which browser origins may call the API. None by default. Requests
 * authenticate with headers, never cookies, so credentials are never allowed and no
 * wildcard is accepted.
 *
 * @param allowedOrigins exact origins ({@code https://shop.example.com})
 * @param maxAge how long a browser may cache a preflight answer
 */
@ConfigurationProperties("aqad.cors")
public record CorsProperties(@DefaultValue List<String> allowedOrigins, @DefaultValue("30m") Duration maxAge) {

	public CorsProperties {
		for (String origin : allowedOrigins) {
			if (origin.contains("*")) {
				throw new IllegalArgumentException(
						"aqad.cors.allowed-origins takes exact origins, not patterns: " + origin);
			}
		}
	}

	/**
	 * The CORS rules for every path.
	 */
	public CorsConfigurationSource source() {
		CorsConfiguration configuration = new CorsConfiguration();
		configuration.setAllowedOrigins(this.allowedOrigins);
		configuration.setAllowedMethods(List.of(HttpMethod.GET.name(), HttpMethod.POST.name(), HttpMethod.PATCH.name(),
				HttpMethod.DELETE.name()));
		configuration
			.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, HttpHeaders.IF_MATCH,
					HttpHeaders.IF_NONE_MATCH, "X-API-Key", "X-Request-Id", "Idempotency-Key", "Last-Event-ID"));
		configuration.setExposedHeaders(List.of(HttpHeaders.ETAG, HttpHeaders.LOCATION, HttpHeaders.RETRY_AFTER,
				"X-Request-Id", "RateLimit", "RateLimit-Policy", "Idempotent-Replayed"));
		configuration.setAllowCredentials(false);
		configuration.setMaxAge(this.maxAge);
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		source.registerCorsConfiguration("/**", configuration);
		return source;
	}

}
