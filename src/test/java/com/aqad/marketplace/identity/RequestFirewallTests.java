package com.aqad.marketplace.identity;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The firewall's header name and value rules, by loop, allow exactly what Spring
 * Security's expressions allow.
 */
class RequestFirewallTests {

	@Test
	void headerValuesAreJudgedAsTheStrictFirewallJudgesThem() {
		List<String> values = samples();
		for (String value : values) {
			assertThat(RequestFirewall.allowedHeaderValue(value)).as(value.codePoints().boxed().toList().toString())
				.isEqualTo(StrictServerWebExchangeFirewall.ALLOWED_HEADER_VALUES.test(value));
		}
		assertThat(RequestFirewall.allowedHeaderValue("a\u0000b")).isFalse();
		assertThat(RequestFirewall.allowedHeaderValue("a\tb")).isTrue();
	}

	private static List<String> samples() {
		List<String> values = new ArrayList<>();
		for (int c = 0; c < 0x3400; c++) {
			values.add("ab" + Character.toString(c) + "cd");
		}
		values.addAll(List.of("", "Bearer eyJ.abc-_", "\uD83D\uDE00 emoji", "lone \uD800 surrogate", "\uDC00",
				"tab\there", "\u0085next line", "\uFFFF", "\uE000 private use", "\u0378 unassigned",
				Character.toString(0xE0001), Character.toString(0x10FFFF), Character.toString(0x30000)));
		return values;
	}

	@Test
	void pathsAreRefusedAndAllowedAsTheStrictFirewallDoes() {
		RequestFirewall ours = new RequestFirewall();
		assertThat(ours.skipsBlocklistsForPlainPaths()).as("no blocklist entry can be in a plain path").isTrue();
		StrictServerWebExchangeFirewall spring = new StrictServerWebExchangeFirewall();
		List<String> refused = List.of("/api/v1/products/a;b", "/a%3Bb", "/a%3bb", "/a%2Fb", "/a%2fb", "/a//b", "//a",
				"/a%2F%2Fb", "/a%5Cb", "/a%5cb", "/a%00b", "/a%0Ab", "/a%0db", "/a%25b", "/a%2Eb", "/a%2e%2e/b",
				"/a%E2%80%A8b", "/a%E2%80%A9b", "/a/../b", "/a/./b", "/..", "/a/.");
		for (String path : refused) {
			assertThat(passes(spring, path)).as("Spring's firewall and %s", path).isFalse();
			assertThat(passes(ours, path)).as(path).isFalse();
		}
		List<String> allowed = List.of("/api/v1/products/0195f3c2-7a1b-7c3d-9e4f-a1b2c3d4e5f6", "/api/v1/products", "/",
				"/a/", "/api/v1/categories/x-y_z~1.json", "/a:b@c!$&'()*+,=", "/a%20b", "/caf%C3%A9");
		for (String path : allowed) {
			assertThat(passes(spring, path)).as("Spring's firewall and %s", path).isTrue();
			assertThat(passes(ours, path)).as(path).isTrue();
		}
		assertThat(RequestFirewall.plain("/api/v1/products/abc")).isTrue();
		assertThat(RequestFirewall.plain("/a%20b")).isFalse();
		assertThat(RequestFirewall.plain("/a//b")).isFalse();
		assertThat(RequestFirewall.plain("/a;b")).isFalse();
	}

	private static boolean passes(ServerWebExchangeFirewall firewall, String path) {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.method(HttpMethod.GET, URI.create("http://localhost" + path)));
		return Boolean.TRUE.equals(firewall.getFirewalledExchange(exchange)
			.map((firewalled) -> true)
			.onErrorResume(ServerExchangeRejectedException.class, (rejected) -> Mono.just(false))
			.block());
	}

	@Test
	void headerNamesAreJudgedAsTheStrictFirewallJudgesThem() {
		for (String name : samples()) {
			assertThat(RequestFirewall.allowedHeaderName(name)).as(name.codePoints().boxed().toList().toString())
				.isEqualTo(StrictServerWebExchangeFirewall.ALLOWED_HEADER_NAMES.test(name));
		}
		assertThat(RequestFirewall.allowedHeaderName("Authorization")).isTrue();
		assertThat(RequestFirewall.allowedHeaderName("a\tb")).isFalse();
	}

}
