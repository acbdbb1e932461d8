package com.aqad.marketplace.platform.web;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

import com.aqad.marketplace.platform.redis.RedisAvailability;

import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.util.InvalidMimeTypeException;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebExceptionHandler;

/**
 * The one place that turns exceptions into RFC 9457 problem details. Nothing internal
 * (stack traces, SQL, host names, exception messages of libraries) ever reaches the
 * client: unknown failures become a bare 500 whose {@code requestId} leads to the full
 * log line.
 */
@Component
@Order(-2) // ahead of Boot's DefaultErrorWebExceptionHandler
public class ProblemDetailsHandler implements WebExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemDetailsHandler.class);

	private final JsonMapper json;

	public ProblemDetailsHandler(JsonMapper json) {
		this.json = json;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.error(failure);
		}
		ApiException problem = toApiException(failure);
		String requestId = RequestId.of(exchange);
		if (problem.status().is5xxServerError()) {
			if (failure instanceof ApiException) {
				// an answer we chose (busy, unavailable): no stack trace needed
				log.warn("Request {} {} answered {} {} [requestId={}]", exchange.getRequest().getMethod(),
						exchange.getRequest().getPath(), problem.status().value(), problem.code(), requestId);
			}
			else {
				log.error("Request {} {} failed [requestId={}]", exchange.getRequest().getMethod(),
						exchange.getRequest().getPath(), requestId, failure);
			}
		}
		if (failure instanceof ResponseStatusException statusException) {
			response.getHeaders().addAll(statusException.getHeaders());
		}
		response.getHeaders().addAll(problem.headers());
		Problem body = new Problem(Problem.typeOf(problem.code()), problem.status().getReasonPhrase(),
				problem.status().value(), problem.getMessage(), exchange.getRequest().getPath().value(), problem.code(),
				requestId, problem.errors());
		byte[] bytes = this.json.writeValueAsBytes(body);
		response.setStatusCode(problem.status());
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		response.getHeaders().setContentLength(bytes.length);
		return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(bytes)));
	}

	static ApiException toApiException(Throwable failure) {
		return switch (failure) {
			case ApiException api -> api;
			case DataBufferLimitException tooLarge -> payloadTooLarge();
			case MethodNotAllowedException notAllowed -> new ApiException(HttpStatus.METHOD_NOT_ALLOWED,
					"method_not_allowed", "Method " + notAllowed.getHttpMethod() + " is not allowed here; allowed: "
							+ notAllowed.getSupportedMethods() + ".");
			case NotAcceptableStatusException notAcceptable -> new ApiException(HttpStatus.NOT_ACCEPTABLE,
					"not_acceptable", "This resource is available as " + notAcceptable.getSupportedMediaTypes() + ".");
			case UnsupportedMediaTypeStatusException unsupported -> new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
					"unsupported_media_type", "Send the body as " + unsupported.getSupportedMediaTypes() + ".");
			case ServerWebInputException input -> fromInput(input);
			case InvalidMediaTypeException header -> malformedMediaType();
			case InvalidMimeTypeException header -> malformedMediaType();
			case RedisAvailability.RedisUnavailableException down -> unavailable();
			case DataAccessResourceFailureException down -> unavailable();
			case QueryTimeoutException slow -> unavailable();
			case ResponseStatusException status -> fromStatus(status.getStatusCode());
			default -> new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error",
					"The server failed to answer this request. Quote the requestId when reporting it.");
		};
	}

	private static ApiException fromInput(ServerWebInputException input) {
		for (Throwable cause = input; cause != null; cause = cause.getCause()) {
			switch (cause) {
				case DataBufferLimitException tooLarge -> {
					return payloadTooLarge();
				}
				case StreamReadException duplicate when String.valueOf(duplicate.getOriginalMessage())
					.startsWith("Duplicate") -> {
					return malformed("The body names a field more than once.");
				}
				case InvalidFormatException text when String.valueOf(text.getOriginalMessage())
					.endsWith(StrictJson.INVALID) -> {
					String field = pathOf(text);
					return field.isEmpty() ? malformed("The body has text that " + StrictJson.INVALID + ".")
							: ApiException.invalid(field, StrictJson.INVALID);
				}
				case UnrecognizedPropertyException unknown -> {
					return ApiException.invalid(pathOf(unknown), "unknown field");
				}
				case MismatchedInputException mismatched -> {
					String field = pathOf(mismatched);
					return field.isEmpty() ? malformed("The body does not have the expected shape.")
							: ApiException.invalid(field, "wrong type or missing value");
				}
				case JacksonException syntax -> {
					return malformed("The body is not valid JSON.");
				}
				default -> {
				}
			}
		}
		return malformed((input.getReason() != null) ? input.getReason() : "The request is malformed.");
	}

	private static ApiException fromStatus(HttpStatusCode statusCode) {
		HttpStatus status = HttpStatus.resolve(statusCode.value());
		if (status == null) {
			status = HttpStatus.INTERNAL_SERVER_ERROR;
		}
		return switch (status) {
			case NOT_FOUND -> ApiException.notFound("There is nothing at this path.");
			case PAYLOAD_TOO_LARGE, CONTENT_TOO_LARGE -> payloadTooLarge();
			default -> new ApiException(status, status.name().toLowerCase(java.util.Locale.ROOT),
					status.getReasonPhrase() + ".");
		};
	}

	/**
	 * A store this request needs (Redis, PostgreSQL) cannot be reached right now.
	 */
	private static ApiException unavailable() {
		return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "service_unavailable",
				"The service cannot answer this request right now; try again shortly.")
			.withHeader(org.springframework.http.HttpHeaders.RETRY_AFTER, "1");
	}

	private static ApiException malformedMediaType() {
		return new ApiException(HttpStatus.BAD_REQUEST, "malformed_header",
				"The Accept or Content-Type header is not a valid list of media types.");
	}

	private static ApiException malformed(String detail) {
		return new ApiException(HttpStatus.BAD_REQUEST, "malformed_request", detail);
	}

	static ApiException payloadTooLarge() {
		return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large",
				"The request body is larger than this API accepts.");
	}

	private static String pathOf(JacksonException failure) {
		StringBuilder path = new StringBuilder();
		List<JacksonException.Reference> references = failure.getPath();
		for (JacksonException.Reference reference : references) {
			if (reference.getPropertyName() != null) {
				path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.toString();
	}

}
