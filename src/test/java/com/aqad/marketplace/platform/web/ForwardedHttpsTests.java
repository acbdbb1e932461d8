package com.aqad.marketplace.platform.web;

import com.aqad.marketplace.platform.devservices.ApiTest;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Behind a TLS-terminating proxy the server sees plain HTTP: HSTS is sent when a trusted
 * proxy (here the tests' own address) says the client came over HTTPS; from an untrusted
 * peer the same header earns nothing ({@link WebPlumbingTests}).
 */
@ApiTest(properties = { "management.server.port=0", "aqad.ratelimit.trusted-proxies=127.0.0.1/32,::1/128" })
class ForwardedHttpsTests {

	@Autowired
	private WebTestClient http;

	@Test
	void aTrustedProxySayingHttpsGetsHsts() {
		this.http.get()
			.uri("/api/v1/categories")
			.header("X-Forwarded-Proto", "https")
			.exchange()
			.expectHeader()
			.valueEquals("Strict-Transport-Security", "max-age=31536000 ; includeSubDomains");
		this.http.get()
			.uri("/api/v1/categories")
			.header("Forwarded", "for=203.0.113.9;proto=https")
			.exchange()
			.expectHeader()
			.exists("Strict-Transport-Security");
	}

	@Test
	void aTrustedProxySayingHttpDoesNot() {
		this.http.get()
			.uri("/api/v1/categories")
			.header("X-Forwarded-Proto", "http")
			.exchange()
			.expectHeader()
			.doesNotExist("Strict-Transport-Security");
	}

}
