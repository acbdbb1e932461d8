package com.aqad.marketplace.platform.web;

import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code aqad.web.*}: limits and headers of the HTTP edge.
 *
 * @param maxBodySize the largest request body accepted (413 above it)
 * @param contentSecurityPolicy the {@code Content-Security-Policy} of every response
 */
@Validated
@ConfigurationProperties("aqad.web")
public record WebProperties(@DefaultValue("1MB") DataSize maxBodySize,
		@DefaultValue("default-src 'none'; frame-ancestors 'none'") @NotBlank String contentSecurityPolicy) {
}
