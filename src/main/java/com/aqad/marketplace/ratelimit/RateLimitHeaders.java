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

	/**
	 * Writes both fields for the buckets that refuse (not the shadow ones), as ASCII
	 * bytes: a request charged one policy (nearly all) gets that policy's
	 * {@code RateLimit-Policy} field made once.
	 */
	static void write(ServerHttpResponse response, Verdict verdict) {
		Charge only = null;
		boolean oneCharge = true;
		int size = 0;
		for (Take take : verdict.takes()) {
			if (take.charge().shadow()) {
				continue;
			}
			if (only == null) {
				only = take.charge();
			}
			else if (take.charge() != only) {
				oneCharge = false;
			}
			// ", ", the prefix, two numbers of at most 19 digits, ";t="
			size += 2 + take.bucket().statePrefix().length() + 19 + 3 + 19;
		}
		if (only == null) {
			return;
		}
		WireHeaders.set(response, POLICY_NAME,
				oneCharge ? only.policy().shared(only.buckets()).policyField() : policies(verdict));
		byte[] state = new byte[size];
		int at = 0;
		for (Take take : verdict.takes()) {
			if (take.charge().shadow()) {
				continue;
			}
			if (at > 0) {
				state[at++] = ',';
				state[at++] = ' ';
			}
			at = ascii(take.bucket().statePrefix(), state, at);
			at = digits(take.remaining(), state, at);
			state[at++] = ';';
			state[at++] = 't';
			state[at++] = '=';
			at = digits((take.resetMillis() + 999) / 1000, state, at);
		}
		WireHeaders.set(response, STATE_NAME, new AsciiString(state, 0, at, false));
	}

	private static String policies(Verdict verdict) {
		StringBuilder policies = new StringBuilder(96);
		for (Take take : verdict.takes()) {
			if (!take.charge().shadow()) {
				if (!policies.isEmpty()) {
					policies.append(", ");
				}
				policies.append(take.bucket().policyMember());
			}
		}
		return policies.toString();
	}

	/** bucket names and their fields' punctuation are ASCII */
	private static int ascii(String value, byte[] into, int at) {
		for (int i = 0; i < value.length(); i++) {
			into[at++] = (byte) value.charAt(i);
		}
		return at;
	}

	/** a count or a number of seconds, never negative */
	private static int digits(long value, byte[] into, int at) {
		long rest = Math.max(0, value);
		int end = at;
		do {
			end++;
			rest /= 10;
		}
		while (rest > 0);
		rest = Math.max(0, value);
		for (int i = end - 1; i >= at; i--) {
			into[i] = (byte) ('0' + rest % 10);
			rest /= 10;
		}
		return end;
	}

}
