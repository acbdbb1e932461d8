package com.aqad.marketplace.platform.web;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.springframework.util.MultiValueMap;

/**
 * A query string read strictly: each parameter at most once, well formed, none unknown;
 * every problem is collected so that one 400 names them all ({@link #verify}).
 */
public final class QueryParameters {

	private final MultiValueMap<String, String> parameters;

	private final Set<String> known;

	private final List<ApiException.FieldProblem> problems = new ArrayList<>();

	public QueryParameters(MultiValueMap<String, String> parameters, Set<String> known) {
		this.parameters = parameters;
		this.known = known;
	}

	public void problem(String field, String message) {
		this.problems.add(new ApiException.FieldProblem(field, message));
	}

	public String single(String name) {
		List<String> values = this.parameters.get(name);
		if (values == null || values.isEmpty()) {
			return null;
		}
		if (values.size() > 1) {
			problem(name, "must be given at most once");
			return null;
		}
		return values.get(0);
	}

	public UUID uuid(String name) {
		String value = single(name);
		if (value == null) {
			return null;
		}
		UUID uuid = Ids.parse(value).orElse(null);
		if (uuid == null) {
			problem(name, "must be a UUID");
		}
		return uuid;
	}

	/**
	 * Text of 1..{@code maxLength} characters without control characters, stripped.
	 */
	public String text(String name, int maxLength) {
		String value = single(name);
		if (value == null) {
			return null;
		}
		String trimmed = value.strip();
		if (trimmed.isEmpty() || trimmed.length() > maxLength) {
			problem(name, "must be 1.." + maxLength + " characters");
			return null;
		}
		if (trimmed.chars().anyMatch(Character::isISOControl)) {
			problem(name, "must not contain control characters");
			return null;
		}
		return trimmed;
	}

	/**
	 * A whole number in {@code min..max}; {@code message} names what it must be.
	 */
	public Long whole(String name, long min, long max, String message) {
		String value = single(name);
		if (value == null) {
			return null;
		}
		try {
			long number = Long.parseLong(value);
			if (number >= min && number <= max) {
				return number;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		problem(name, message);
		return null;
	}

	/**
	 * {@code true} or {@code false}; absent is false.
	 */
	public boolean bool(String name) {
		String value = single(name);
		if (value == null || value.equals("false")) {
			return false;
		}
		if (value.equals("true")) {
			return true;
		}
		problem(name, "must be true or false");
		return false;
	}

	/**
	 * An ISO-8601 instant with its offset ({@code 2026-11-26T10:00:00Z}).
	 */
	public Instant instant(String name) {
		String value = single(name);
		if (value == null) {
			return null;
		}
		try {
			return java.time.OffsetDateTime.parse(value).toInstant();
		}
		catch (DateTimeParseException ex) {
			problem(name, "must be an ISO-8601 timestamp with an offset, such as 2026-11-26T10:00:00Z");
			return null;
		}
	}

	/**
	 * One of {@code values}' names, or null.
	 */
	public <T extends Enum<T>> T oneOf(String name, Class<T> type) {
		String value = single(name);
		if (value == null) {
			return null;
		}
		for (T constant : type.getEnumConstants()) {
			if (constant.name().equals(value)) {
				return constant;
			}
		}
		List<String> names = new ArrayList<>();
		for (T constant : type.getEnumConstants()) {
			names.add(constant.name());
		}
		problem(name, "must be one of " + String.join(", ", names));
		return null;
	}

	public int limit(int defaultLimit, int maxLimit) {
		Long limit = whole("limit", 1, maxLimit, "must be a whole number, 1.." + maxLimit);
		return (limit != null) ? limit.intValue() : defaultLimit;
	}

	/**
	 * Throws 400 {@code validation_failed} naming unknown parameters and every problem
	 * found, if any.
	 */
	public void verify() {
		this.parameters.keySet()
			.stream()
			.filter((name) -> !this.known.contains(name))
			.sorted()
			.forEach((name) -> problem(name, "is not a parameter of this request"));
		if (!this.problems.isEmpty()) {
			throw ApiException.invalid(this.problems);
		}
	}

}
