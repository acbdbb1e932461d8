package com.aqad.marketplace.catalog;

import java.util.ArrayList;
import java.util.List;

import com.aqad.marketplace.platform.web.ApiException;

import org.springframework.http.HttpStatus;

/**
 * An {@code If-Match} precondition: {@code *} or a list of strong entity tags.
 */
record IfMatch(boolean any, List<String> tags) {

	private static final int MAX_LENGTH = 1024;

	/**
	 * The precondition of these header values, or {@code null} when there is none.
	 */
	static IfMatch parse(List<String> values) {
		if (values.isEmpty()) {
			return null;
		}
		List<String> tags = new ArrayList<>();
		for (String value : values) {
			if (value.length() > MAX_LENGTH) {
				throw ApiException.invalid("If-Match", "is too long");
			}
			for (String part : value.split(",")) {
				String tag = part.strip();
				if (tag.equals("*")) {
					return new IfMatch(true, List.of());
				}
				if (tag.startsWith("W/")) {
					// weak tags never match for If-Match (RFC 9110 13.1.1)
					continue;
				}
				if (tag.length() < 2 || !tag.startsWith("\"") || !tag.endsWith("\"")) {
					throw ApiException.invalid("If-Match", "must be * or quoted entity tags");
				}
				tags.add(tag);
			}
		}
		return new IfMatch(false, List.copyOf(tags));
	}

	boolean matches(String etag) {
		return this.any || this.tags.contains(etag);
	}

	static ApiException failed() {
		return new ApiException(HttpStatus.PRECONDITION_FAILED, "precondition_failed",
				"The product has changed since the version named in If-Match; fetch it again.");
	}

}
