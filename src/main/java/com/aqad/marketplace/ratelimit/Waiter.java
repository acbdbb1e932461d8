package com.aqad.marketplace.ratelimit;

/**
 * Who waits for a take: told once, of the verdict or of why there is none. A take whose
 * waiter has gone is not sent.
 */
interface Waiter {

	void verdict(Verdict verdict);

	void failed(Throwable failure);

	/**
	 * Whether the verdict is no longer wanted (the request was cancelled).
	 */
	boolean gone();

}
