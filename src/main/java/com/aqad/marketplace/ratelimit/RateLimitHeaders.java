package com.aqad.marketplace.ratelimit;

import io.netty.util.AsciiString;

import com.aqad.marketplace.platform.web.WireHeaders;

import org.springframework.http.server.reactive.ServerHttpResponse;

/**
 * The {@code RateLimit-Policy} and {@code RateLimit} fields of the IETF httpapi draft
 * (draft-ietf-httpapi-ratelimit-headers-09): one list member per bucket, named
 * {@code policy.bucket}. Shadow policies are not advertised: they refuse nothing.
 */
final class RateLimitHeaders {

	static final String POLICY = "RateLimit-Policy";

	static final String STATE = "RateLimit";

	private static final AsciiString POLICY_NAME = AsciiString.cached(POLICY);

	private static final AsciiString STATE_NAME = AsciiString.cached(STATE);

	private RateLimitHeaders() {
	}

	static void write(ServerHttpResponse response, Verdict verdict) {
		StringBuilder policies = null;
		StringBuilder states = null;
		for (Take take : verdict.takes()) {
			if (take.charge().shadow()) {
				continue;
			}
			if (policies == null) {
				policies = new StringBuilder(96);
				states = new StringBuilder(96);
			}
			else {
				policies.append(", ");
				states.append(", ");
			}
			policies.append(take.bucket().policyMember());
			states.append(take.bucket().statePrefix())
				.append(take.remaining())
				.append(";t=")
				.append((take.resetMillis() + 999) / 1000);
		}
		if (policies != null) {
			WireHeaders.set(response, POLICY_NAME, policies.toString());
			WireHeaders.set(response, STATE_NAME, states.toString());
		}
	}

}
