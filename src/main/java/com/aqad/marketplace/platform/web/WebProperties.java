package com.aqad.marketplace.platform.web;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code aqad.web.*}: limits and headers of the HTTP edge.
 *
 * @param maxBodySize the largest request body accepted (413 above it)
 * @param contentSecurityPolicy the {@code Content-Security-Policy} of every response
 * @param connections bounds on what one connection, and one client, may hold
 * @param deadline how long a request may take to start answering before it gets 503
 * (streams are bounded only until their first bytes)
 */
@Validated
@ConfigurationProperties("aqad.web")
public record WebProperties(@DefaultValue("1MB") DataSize maxBodySize,
		@DefaultValue("default-src 'none'; frame-ancestors 'none'") @NotBlank String contentSecurityPolicy,
		@DefaultValue @Valid @NotNull Connections connections, @DefaultValue("3s") @NotNull Duration deadline) {

	/**
	 * @param idleTimeout a keep-alive connection without a request for this long is
	 * closed
	 * @param maxConnections connections this instance holds at once; more are closed at
	 * once
	 * @param maxConnectionsPerAddress connections one client address holds at once; more
	 * are closed at once
	 * @param headerTimeout how long a request's line and headers may take to arrive once
	 * their first byte has (slow-header clients get 408 and are disconnected)
	 */
	public record Connections(@DefaultValue("60s") @NotNull Duration idleTimeout,
			@DefaultValue("10000") @Min(1) int maxConnections,
			@DefaultValue("1024") @Min(1) int maxConnectionsPerAddress,
			@DefaultValue("10s") @NotNull Duration headerTimeout) {
	}

}
