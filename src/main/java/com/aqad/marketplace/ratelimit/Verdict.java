package com.aqad.marketplace.ratelimit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the buckets said about one request.
 *
 * @param takes every bucket asked, in policy order
 * @param local whether the instance's own buckets decided because Redis did not answer
 */
record Verdict(List<Take> takes, boolean local) {

	static final Verdict NONE = new Verdict(List.of(), false);

	/**
	 * The first bucket that refuses the request, if any.
	 */
	Optional<Take> refusal() {
		for (Take take : this.takes) {
			if (take.refuses()) {
				return Optional.of(take);
			}
		}
		return Optional.empty();
	}

	/**
	 * The charges every bucket of which gave its tokens.
	 */
	List<Charge> granted() {
		Set<Charge> refused = new HashSet<>();
		this.takes.stream().filter((take) -> !take.granted()).forEach((take) -> refused.add(take.charge()));
		return this.takes.stream().map(Take::charge).distinct().filter((charge) -> !refused.contains(charge)).toList();
	}

	/**
	 * Whole seconds until every refusing bucket has the tokens again (at least 1).
	 */
	long retryAfterSeconds() {
		long millis = this.takes.stream().filter(Take::refuses).mapToLong(Take::retryMillis).max().orElse(0);
		return Math.max(1, (millis + 999) / 1000);
	}

	Verdict and(Verdict other) {
		if (this.takes.isEmpty()) {
			return other;
		}
		List<Take> all = new ArrayList<>(this.takes);
		all.addAll(other.takes);
		return new Verdict(List.copyOf(all), this.local || other.local);
	}

}
