package com.aqad.marketplace.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Unguessable values (session ids, refresh tokens, API keys) and their digests. The
 * generator is a DRBG seeded once, when this class loads: later draws are computation
 * only and never wait on the operating system's entropy file, so they are safe on an
 * event loop.
 */
final class Secrets {

	private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

	private static final SecureRandom RANDOM = seeded();

	private Secrets() {
	}

	/**
	 * {@code bytes} random bytes, base64url without padding.
	 */
	static String random(int bytes) {
		byte[] value = new byte[bytes];
		RANDOM.nextBytes(value);
		return BASE64.encodeToString(value);
	}

	/**
	 * SHA-256, base64url: enough for secrets of 128 bits and more, which no dictionary
	 * holds.
	 */
	static String digest(String secret) {
		try {
			return BASE64
				.encodeToString(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Equal without telling how much of it matched.
	 */
	static boolean same(String a, String b) {
		return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
	}

	private static SecureRandom seeded() {
		try {
			SecureRandom random = SecureRandom.getInstance("DRBG");
			random.nextBytes(new byte[16]);
			return random;
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
