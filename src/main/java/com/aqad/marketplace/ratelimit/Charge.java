package com.aqad.marketplace.ratelimit;

import java.util.List;

import com.aqad.marketplace.ratelimit.RateLimitPolicy.Bucket;

/**
 * What one request takes from one policy: {@code cost} tokens from each of its buckets,
 * for one subject. A shadow charge is counted and logged but refuses nothing: a policy in
 * shadow mode, or an account of a shadow tier (load tests against a shared environment).
 *
 * @param policy the policy
 * @param subject what the request is counted by ({@code ip:203.0.113.9},
 * {@code account:<id>}, ...); all the policy's buckets of one subject share a Redis hash
 * slot
 * @param buckets the buckets that apply (the caller's tier's, or the default ones)
 * @param shadow whether it only counts
 */
record Charge(RateLimitPolicy policy, String subject, List<Bucket> buckets, boolean shadow) {

	Charge(RateLimitPolicy policy, String subject, List<Bucket> buckets) {
		this(policy, subject, buckets, policy.shadow());
	}

	int cost() {
		return this.policy.cost();
	}

}
