package com.aqad.marketplace.platform.web;

import java.util.concurrent.atomic.LongAdder;

import org.springframework.stereotype.Component;

/**
 * How many requests this instance has been asked, counted as each one gets its id: work
 * that should yield to interactive traffic (full feeds) reads how busy the instance is
 * from it.
 */
@Component
public final class RequestRate {

	private final LongAdder requests = new LongAdder();

	void arrived() {
		this.requests.increment();
	}

	/**
	 * Requests that arrived since this instance started.
	 */
	public long total() {
		return this.requests.sum();
	}

}
