package com.aqad.marketplace.platform.cache;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A cache TTL with jitter, so that entries written together do not all expire together.
 *
 * @param base the nominal time to live
 * @param jitter the fraction (0..1) by which each TTL may randomly differ from the base
 */
public record Ttl(Duration base, double jitter) {

	public Ttl {
		if (base.isNegative() || base.isZero()) {
			throw new IllegalArgumentException("A TTL must be positive");
		}
		if (jitter < 0 || jitter >= 1) {
			throw new IllegalArgumentException("Jitter must be in [0, 1)");
		}
	}

	/**
	 * The next TTL in milliseconds: uniformly within {@code base ± base × jitter}.
	 */
	public long nextMillis() {
		long millis = this.base.toMillis();
		long spread = (long) (millis * this.jitter);
		return (spread == 0) ? millis : millis - spread + ThreadLocalRandom.current().nextLong(2 * spread + 1);
	}

}
