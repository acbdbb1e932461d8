package com.aqad.marketplace.platform.web;

import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * A failure the client should hear about: its status, a stable snake_case {@code code}
 * and a human-readable detail. Features throw subclasses named in the marketplace's words
 * ({@code ProductNotFound}); {@link ProblemDetailsHandler} turns them into RFC 9457
 * bodies.
 */
public class ApiException extends RuntimeException {

	private final HttpStatus status;

	private final String code;

	private final List<FieldProblem> errors;

	private final HttpHeaders headers = new HttpHeaders();

	public ApiException(HttpStatus status, String code, String detail) {
		this(status, code, detail, List.of());
	}

	public ApiException(HttpStatus status, String code, String detail, List<FieldProblem> errors) {
		super(detail, null, false, false);
		this.status = status;
		this.code = code;
		this.errors = List.copyOf(errors);
	}

	public HttpStatus status() {
		return this.status;
	}

	public String code() {
		return this.code;
	}

	public List<FieldProblem> errors() {
		return this.errors;
	}

	/**
	 * Headers the response carries along with the problem ({@code Retry-After}...).
	 */
	public HttpHeaders headers() {
		return this.headers;
	}

	public ApiException withHeader(String name, String value) {
		this.headers.set(name, value);
		return this;
	}

	/**
	 * One invalid input: the query parameter, header or JSON field, and what is wrong
	 * with it.
	 */
	public record FieldProblem(String field, String message) {
	}

	/**
	 * Input that failed validation: 400 {@code validation_failed} listing every bad
	 * field.
	 */
	public static ApiException invalid(List<FieldProblem> errors) {
		return new ApiException(HttpStatus.BAD_REQUEST, "validation_failed", "The request has invalid fields.", errors);
	}

	public static ApiException invalid(String field, String message) {
		return invalid(List.of(new FieldProblem(field, message)));
	}

	/**
	 * A request that needs a JSON body came without one.
	 */
	public static ApiException missingBody() {
		return new ApiException(HttpStatus.BAD_REQUEST, "malformed_request", "The request needs a JSON body.");
	}

	public static ApiException notFound(String detail) {
		return new ApiException(HttpStatus.NOT_FOUND, "not_found", detail);
	}

}
