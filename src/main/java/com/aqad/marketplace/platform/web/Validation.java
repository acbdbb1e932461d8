package com.aqad.marketplace.platform.web;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Collects every invalid field of a request so that one 400 names them all.
 */
public final class Validation {

	private static final Pattern TAG = Pattern.compile("<\\s*[/!?]?\\s*[A-Za-z]");

	private final List<ApiException.FieldProblem> problems = new ArrayList<>();

	/**
	 * Records a problem with {@code field} unless {@code valid}.
	 */
	public Validation check(boolean valid, String field, String message) {
		if (!valid) {
			this.problems.add(new ApiException.FieldProblem(field, message));
		}
		return this;
	}

	/**
	 * A required value.
	 */
	public Validation required(Object value, String field) {
		return check(value != null, field, "is required");
	}

	/**
	 * Plain text of {@code min..max} characters: no HTML tags and no control characters
	 * (line breaks and tabs only where {@code multiline}). Null passes (see
	 * {@link #required}).
	 */
	public Validation text(String value, String field, int min, int max, boolean multiline) {
		if (value == null) {
			return this;
		}
		int length = value.codePointCount(0, value.length());
		if (length < min || length > max) {
			return check(false, field, "must be " + min + " to " + max + " characters");
		}
		if (min > 0 && value.isBlank()) {
			return check(false, field, "must not be blank");
		}
		return check(isPlain(value, multiline), field, "must be plain text: no HTML tags or control characters");
	}

	public Validation range(Long value, String field, long min, long max) {
		return (value == null) ? this : check(value >= min && value <= max, field, "must be " + min + " to " + max);
	}

	/**
	 * Throws 400 {@code validation_failed} naming every problem found, if any.
	 */
	public void verify() {
		if (!this.problems.isEmpty()) {
			throw ApiException.invalid(this.problems);
		}
	}

	/**
	 * Whether the text is free of HTML tags and control characters.
	 */
	public static boolean isPlain(String value, boolean multiline) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			boolean allowedBreak = multiline && (c == '\n' || c == '\r' || c == '\t');
			if ((Character.isISOControl(c) && !allowedBreak) || c == '\u2028' || c == '\u2029'
					|| Character.getType(c) == Character.FORMAT && c != '\u200d') {
				return false;
			}
		}
		return !TAG.matcher(value).find();
	}

}
