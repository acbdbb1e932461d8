package com.aqad.marketplace.identity;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

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
	void headerNamesAreJudgedAsTheStrictFirewallJudgesThem() {
		for (String name : samples()) {
			assertThat(RequestFirewall.allowedHeaderName(name)).as(name.codePoints().boxed().toList().toString())
				.isEqualTo(StrictServerWebExchangeFirewall.ALLOWED_HEADER_NAMES.test(name));
		}
		assertThat(RequestFirewall.allowedHeaderName("Authorization")).isTrue();
		assertThat(RequestFirewall.allowedHeaderName("a\tb")).isFalse();
	}

}
