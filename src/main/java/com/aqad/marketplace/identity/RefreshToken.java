package com.aqad.marketplace.identity;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A refresh token: which account's which session, and the secret that is spent when it is
 * used. The account id routes it to its Redis shard; only the secret's digest is stored.
 */
record RefreshToken(UUID accountId, String sessionId, String secret) {

	private static final Pattern FORMAT = Pattern.compile(
			"rt1\\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\.([A-Za-z0-9_-]{22})\\.([A-Za-z0-9_-]{43})");

	String encode() {
		return "rt1." + this.accountId + "." + this.sessionId + "." + this.secret;
	}

	/**
	 * The token, or empty when the text is not one of ours.
	 */
	static Optional<RefreshToken> parse(String text) {
		if (text == null || text.length() > 120) {
			return Optional.empty();
		}
		Matcher matcher = FORMAT.matcher(text);
		if (!matcher.matches()) {
			return Optional.empty();
		}
		return Optional.of(new RefreshToken(UUID.fromString(matcher.group(1)), matcher.group(2), matcher.group(3)));
	}

	@Override
	public String toString() {
		return "RefreshToken[session=" + this.sessionId + "]";
	}

}
