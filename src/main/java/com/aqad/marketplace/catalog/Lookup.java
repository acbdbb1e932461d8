package com.aqad.marketplace.catalog;

/**
 * What a cache read found.
 *
 * @param <T> the cached value
 */
sealed interface Lookup<T> {

	/** The value was cached. */
	record Hit<T>(T value) implements Lookup<T> {
	}

	/** The key is cached as known not to exist. */
	record Absent<T>() implements Lookup<T> {
	}

	/** Nothing cached; a load may store its result under this listings generation. */
	record Miss<T>(long generation) implements Lookup<T> {
	}

	/** Redis did not answer in time: load from the database, and do not try to store. */
	record Unavailable<T>() implements Lookup<T> {
	}

}
