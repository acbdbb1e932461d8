package com.aqad.marketplace.ratelimit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.aqad.marketplace.ratelimit.RateLimitProperties.Key;

import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * A configured policy, ready to match requests: which requests it applies to, what it
 * counts them by, and the buckets each request must find tokens in.
 */
final class RateLimitPolicy {

	/**
	 * buckets of one policy at most (the shared buckets' script reads them by position)
	 */
	static final int MAX_BUCKETS = 4;

	private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");

	private final String name;

	private final List<PathPattern> paths;

	private final Set<String> methods;

	private final Key key;

	private final int cost;

	private final Set<Integer> freeStatuses;

	private final boolean shadow;

	private final List<Bucket> buckets;

	private final Map<String, List<Bucket>> tiers;

	/** how the shared buckets' script is told about each bucket list, made once */
	private final Map<List<Bucket>, Shared> shared;

	private RateLimitPolicy(String name, RateLimitProperties.Policy policy, boolean shadow) {
		this.name = name;
		this.paths = policy.paths().stream().map(PathPatternParser.defaultInstance::parse).toList();
		this.methods = policy.methods()
			.stream()
			.map((method) -> method.toUpperCase(Locale.ROOT))
			.collect(Collectors.toSet());
		this.key = policy.key();
		this.cost = policy.cost();
		this.freeStatuses = Set.copyOf(policy.freeStatuses());
		this.shadow = shadow || policy.shadow();
		this.buckets = buckets(name, policy.buckets(), policy.cost());
		Map<String, List<Bucket>> tiers = new LinkedHashMap<>();
		policy.tiers().forEach((tier, buckets) -> tiers.put(tier, buckets(name, buckets, policy.cost())));
		this.tiers = Map.copyOf(tiers);
		Map<List<Bucket>, Shared> shared = new IdentityHashMap<>();
		shared.put(this.buckets, Shared.of(name, this.buckets, this.cost));
		this.tiers.values().forEach((buckets) -> shared.put(buckets, Shared.of(name, buckets, this.cost)));
		this.shared = shared;
	}

	/**
	 * The configured policies, in their configured order.
	 * @throws IllegalArgumentException when a policy cannot work as configured
	 */
	static List<RateLimitPolicy> of(RateLimitProperties properties) {
		List<RateLimitPolicy> policies = new ArrayList<>();
		properties.policies().forEach((name, policy) -> {
			check(NAME.matcher(name).matches(), "Rate limit policy name '%s' must match %s", name, NAME);
			policies.add(new RateLimitPolicy(name, policy, properties.shadow()));
		});
		return List.copyOf(policies);
	}

	private static List<Bucket> buckets(String policy, Map<String, RateLimitProperties.Bucket> configured, int cost) {
		check(!configured.isEmpty(), "Rate limit policy %s has no buckets", policy);
		check(configured.size() <= MAX_BUCKETS, "Rate limit policy %s has more than %d buckets", policy, MAX_BUCKETS);
		List<Bucket> buckets = new ArrayList<>();
		configured.forEach((name, bucket) -> {
			check(NAME.matcher(name).matches(), "Bucket name '%s' of policy %s must match %s", name, policy, NAME);
			check(bucket.period().toMillis() >= 1, "Bucket %s of policy %s needs a period of at least 1ms", name,
					policy);
			check(bucket.capacity() >= cost, "Bucket %s of policy %s holds %d tokens, less than a request costs (%d)",
					name, policy, bucket.capacity(), cost);
			buckets.add(new Bucket(policy + "." + name, bucket.capacity(), bucket.period().toMillis()));
		});
		return List.copyOf(buckets);
	}

	private static void check(boolean condition, String message, Object... arguments) {
		if (!condition) {
			throw new IllegalArgumentException(message.formatted(arguments));
		}
	}

	boolean matches(ServerHttpRequest request) {
		if (!this.methods.isEmpty() && !this.methods.contains(request.getMethod().name())) {
			return false;
		}
		PathContainer path = request.getPath().pathWithinApplication();
		for (PathPattern pattern : this.paths) {
			if (pattern.matches(path)) {
				return true;
			}
		}
		return false;
	}

	String name() {
		return this.name;
	}

	Key key() {
		return this.key;
	}

	int cost() {
		return this.cost;
	}

	boolean shadow() {
		return this.shadow;
	}

	boolean isFree(int status) {
		return this.freeStatuses.contains(status);
	}

	/**
	 * The buckets for an account of the given tier ({@code null}: the default ones).
	 */
	List<Bucket> buckets(String tier) {
		return (tier != null) ? this.tiers.getOrDefault(tier, this.buckets) : this.buckets;
	}

	/**
	 * How the shared (Redis) buckets hold one of this policy's bucket lists: the key's
	 * suffix and the script's arguments, made once.
	 */
	Shared shared(List<Bucket> buckets) {
		Shared shared = this.shared.get(buckets);
		return (shared != null) ? shared : Shared.of(this.name, buckets, this.cost);
	}

	@Override
	public String toString() {
		return this.name;
	}

	/**
	 * One bucket list of a policy as the shared buckets keep it: one Redis key per
	 * subject holds the state of all of them, so a take reads and writes one key per
	 * policy.
	 *
	 * @param keySuffix names the policy and its buckets in order,
	 * {@code catalog[burst,hour]}: a key's value is read by position, so a list of other
	 * buckets is another key
	 * @param arguments the script's arguments for the list: the cost, the number of
	 * buckets, then each bucket's interval (milliseconds per token) and period
	 * (milliseconds)
	 * @param argumentBytes the same arguments as sent on the wire (do not change them)
	 */
	record Shared(String keySuffix, List<String> arguments, byte[][] argumentBytes) {

		Shared(String keySuffix, List<String> arguments) {
			this(keySuffix, List.copyOf(arguments),
					arguments.stream()
						.map((argument) -> argument.getBytes(StandardCharsets.US_ASCII))
						.toArray(byte[][]::new));
		}

		static Shared of(String policy, List<Bucket> buckets, int cost) {
			StringJoiner suffix = new StringJoiner(",", policy + "[", "]");
			List<String> arguments = new ArrayList<>(2 + buckets.size() * 2);
			arguments.add(Integer.toString(cost));
			arguments.add(Integer.toString(buckets.size()));
			for (Bucket bucket : buckets) {
				// a bucket's name is policy.bucket
				suffix.add(bucket.name().substring(policy.length() + 1));
				arguments.add(Double.toString((double) bucket.periodMillis() / bucket.capacity()));
				arguments.add(Long.toString(bucket.periodMillis()));
			}
			return new Shared(suffix.toString(), List.copyOf(arguments));
		}

	}

	/**
	 * A token bucket of a policy.
	 *
	 * @param name the policy's and the bucket's name, {@code login.attempts}
	 * @param capacity the most tokens it holds, and what it refills over a period
	 * @param periodMillis how long an empty bucket takes to fill
	 * @param policyMember its member of the {@code RateLimit-Policy} field:
	 * {@code "login.attempts";q=5;w=900}
	 * @param statePrefix the start of its member of the {@code RateLimit} field:
	 * {@code "login.attempts";r=}
	 */
	record Bucket(String name, long capacity, long periodMillis, String policyMember, String statePrefix) {

		/**
		 * A bucket, with its {@code RateLimit-Policy} member and the start of its
		 * {@code RateLimit} member made once (written on every limited response).
		 */
		Bucket(String name, long capacity, long periodMillis) {
			this(name, capacity, periodMillis,
					'"' + name + "\";q=" + capacity + ";w=" + Math.max(1, (periodMillis + 999) / 1000),
					'"' + name + "\";r=");
		}

		/** the bucket's window in whole seconds, for headers */
		long windowSeconds() {
			return Math.max(1, (this.periodMillis + 999) / 1000);
		}

	}

}
