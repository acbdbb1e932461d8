package com.aqad.marketplace.platform.web;

import java.util.Set;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;

/**
 * Reads typed fields out of a JSON object body, noting each problem (unknown, missing,
 * null or mistyped fields) so that one 400 names them all ({@link #validation()}).
 */
public final class JsonFields {

	private final JsonNode body;

	private final Validation validation = new Validation();

	public JsonFields(JsonNode body, Set<String> known) {
		if (body == null || !body.isObject()) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "malformed_request", "The body must be a JSON object.");
		}
		this.body = body;
		for (String name : body.propertyNames()) {
			this.validation.check(known.contains(name), name, "unknown field");
		}
	}

	/**
	 * Where the problems found so far are collected; more checks may be added to it.
	 */
	public Validation validation() {
		return this.validation;
	}

	public JsonNode field(String name, boolean required) {
		JsonNode value = this.body.get(name);
		if (value == null) {
			this.validation.check(!required, name, "is required");
			return null;
		}
		if (value.isNull()) {
			this.validation.check(false, name, "must not be null");
			return null;
		}
		return value;
	}

	public String text(String name, boolean required) {
		return text(field(name, required), name);
	}

	public Long integer(String name, boolean required) {
		return integer(field(name, required), name);
	}

	public UUID uuid(String name, boolean required) {
		return uuid(field(name, required), name);
	}

	public <T extends Enum<T>> T oneOf(String name, boolean required, Class<T> type) {
		return oneOf(field(name, required), name, type);
	}

	/**
	 * A string value (of a field, or of an array element named {@code name}).
	 */
	public String text(JsonNode value, String name) {
		if (value == null) {
			return null;
		}
		this.validation.check(value.isString(), name, "must be a string");
		return value.isString() ? value.stringValue() : null;
	}

	public Long integer(JsonNode value, String name) {
		if (value == null) {
			return null;
		}
		boolean integral = value.isIntegralNumber() && value.canConvertToLong();
		this.validation.check(integral, name, "must be a whole number");
		return integral ? value.longValue() : null;
	}

	public UUID uuid(JsonNode value, String name) {
		String text = text(value, name);
		if (text == null) {
			return null;
		}
		UUID id = Ids.parse(text).orElse(null);
		this.validation.check(id != null, name, "must be an id");
		return id;
	}

	public <T extends Enum<T>> T oneOf(JsonNode value, String name, Class<T> type) {
		String text = text(value, name);
		if (text == null) {
			return null;
		}
		StringBuilder names = new StringBuilder();
		for (T constant : type.getEnumConstants()) {
			if (constant.name().equals(text)) {
				return constant;
			}
			names.append((names.length() > 0) ? ", " : "").append(constant.name());
		}
		this.validation.check(false, name, "must be one of " + names);
		return null;
	}

}
