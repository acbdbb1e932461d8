package com.aqad.marketplace.ratelimit;

import com.aqad.marketplace.ratelimit.RateLimitPolicy.Bucket;

/**
 * The state of one bucket after a request asked for tokens.
 *
 * @param charge what was asked for
 * @param bucket the bucket
 * @param granted whether the bucket had the tokens
 * @param remaining the tokens left in it
 * @param resetMillis how long until it is full again
 * @param retryMillis when not granted, how long until it will have the tokens
 */
record Take(Charge charge, Bucket bucket, boolean granted, long remaining, long resetMillis, long retryMillis) {

	/** whether this bucket refuses the request (shadow policies never do) */
	boolean refuses() {
		return !this.granted && !this.charge.shadow();
	}

}
