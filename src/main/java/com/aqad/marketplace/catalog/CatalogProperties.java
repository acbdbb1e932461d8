package com.aqad.marketplace.catalog;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.http.CacheControl;
import org.springframework.validation.annotation.Validated;

/**
 * {@code aqad.catalog.*}: page sizes, query limits and the cache's lifetimes.
 *
 * @param defaultPageSize items per page when {@code limit} is not given
 * @param maxPageSize the largest {@code limit} accepted
 * @param maxQueryLength the longest full-text {@code q} accepted
 * @param cache the Redis cache settings
 */
@Validated
@ConfigurationProperties("aqad.catalog")
record CatalogProperties(@DefaultValue("20") @Min(1) int defaultPageSize,
		@DefaultValue("100") @Min(1) @Max(1000) int maxPageSize,
		@DefaultValue("200") @Min(1) @Max(1000) int maxQueryLength, @DefaultValue @Valid @NotNull Cache cache) {

	/**
	 * @param productTtl how long a product stays cached (writes update it at once)
	 * @param absentTtl how long an unknown product id is remembered as absent
	 * @param listTtl how long a list page stays cached; bounds how old list stock may be
	 * @param categoriesTtl how long the category list stays cached
	 * @param jitter the fraction by which each TTL randomly varies
	 * @param redisTimeout how long a read waits for Redis before going to PostgreSQL
	 * @param nearTtl how long a product stays in an instance's own memory (changes
	 * notified by PostgreSQL replace it at once; this bounds the age of a copy if a
	 * notification were ever missed)
	 * @param nearMaxSize how many products an instance keeps in its own memory
	 * @param breakerOpenFor after Redis kept failing or timing out, how long the cache
	 * skips it
	 * @param publicMaxAge {@code max-age} of anonymous catalog reads for shared caches
	 * @param publicStaleWhileRevalidate {@code stale-while-revalidate} of anonymous
	 * catalog reads
	 * @param listNearTtl how long an instance answers a list page or the category list
	 * from its own memory (a listing change through this instance drops them at once;
	 * other instances' copies age out within this); zero: always ask Redis
	 */
	record Cache(@DefaultValue("10m") @NotNull Duration productTtl, @DefaultValue("30s") @NotNull Duration absentTtl,
			@DefaultValue("15s") @NotNull Duration listTtl, @DefaultValue("10m") @NotNull Duration categoriesTtl,
			@DefaultValue("0.1") @DecimalMin("0") @DecimalMax("0.5") double jitter,
			@DefaultValue("100ms") @NotNull Duration redisTimeout, @DefaultValue("30s") @NotNull Duration nearTtl,
			@DefaultValue("50000") @Min(0) long nearMaxSize, @DefaultValue("2s") @NotNull Duration breakerOpenFor,
			@DefaultValue("1s") @NotNull Duration publicMaxAge,
			@DefaultValue("5s") @NotNull Duration publicStaleWhileRevalidate,
			@DefaultValue("1s") @NotNull Duration listNearTtl) {

		/**
		 * {@code Cache-Control} of anonymous catalog reads.
		 */
		CacheControl sharedCaching() {
			return CacheControl.maxAge(this.publicMaxAge)
				.cachePublic()
				.staleWhileRevalidate(this.publicStaleWhileRevalidate);
		}

	}

}
