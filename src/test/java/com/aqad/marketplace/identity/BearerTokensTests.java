package com.aqad.marketplace.identity;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link BearerTokens} answers what Spring Security's converter answers, header by
 * header.
 */
class BearerTokensTests {

	private static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl-_";

	@Test
	void answersAsSpringSecuritysConverterDoes() {
		String[] headers = { null, "", "Basic dXNlcjpwYXNz", "Bearer " + JWT, "bearer " + JWT, "BEARER " + JWT,
				"Bearer " + JWT + "==", "Bearer abc+/~._-", "Bearer", "Bearer ", "Bearer  " + JWT, "Bearer ==",
				"Bearer a=b", "Bearer " + JWT + " ", "Bearer " + JWT + "\n", "Bearer\t" + JWT, "BearerX " + JWT,
				"Bearer " + JWT + ",x", "Bearer é", "Bearer a\u0000", "Bearerx", "bear " + JWT, "Token " + JWT };
		ServerAuthenticationConverter spring = new ServerBearerTokenAuthenticationConverter();
		ServerAuthenticationConverter ours = new BearerTokens();
		for (String header : headers) {
			assertThat(answer(ours, header)).as(String.valueOf(header)).isEqualTo(answer(spring, header));
		}
		assertThat(answer(ours, "Bearer " + JWT)).isEqualTo("token " + JWT);
		assertThat(answer(ours, "Bearer  " + JWT)).isEqualTo("error invalid_token");
	}

	/** "none", "token ..." or "error <code>" */
	private static String answer(ServerAuthenticationConverter converter, String header) {
		MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("/api/v1/me");
		if (header != null) {
			request.header("Authorization", header);
		}
		try {
			return Optional.ofNullable(converter.convert(MockServerWebExchange.from(request)).block())
				.map((authentication) -> "token " + ((BearerTokenAuthenticationToken) authentication).getToken())
				.orElse("none");
		}
		catch (OAuth2AuthenticationException failure) {
			return "error " + failure.getError().getErrorCode();
		}
	}

}
