package com.aqad.marketplace.apidocs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.aqad.marketplace.apidocs.ContractDocument.Operation;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.WebTestClientBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.ExchangeResult;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Every exchange of every integration test whose answer a test reads is checked against
 * the OpenAPI document: the answer's status (2xx and 3xx must be documented) and JSON
 * body against its schema (problems too), and, for a request the server accepted, its
 * query parameters and JSON body. A field renamed in code but not in the document turns
 * the build red. Requests the server refused are not checked: the tests send malformed
 * ones on purpose.
 */
@AutoConfiguration
public class ContractValidation {

	@Bean
	WebTestClientBuilderCustomizer contractValidation() {
		return (builder) -> builder.entityExchangeResultConsumer(ContractValidation::check);
	}

	public static void check(ExchangeResult result) {
		HttpMethod method = result.getMethod();
		String path = result.getUrl().getRawPath();
		if (HttpMethod.HEAD.equals(method)) {
			return;
		}
		Optional<Operation> found = ContractDocument.get().find(method.name(), path);
		if (found.isEmpty()) {
			// not an API route: unmatched paths and methods, the tests' own routes
			return;
		}
		List<String> problems = problems(found.get(), result);
		if (!problems.isEmpty()) {
			throw new AssertionError(method + " " + path + " answered " + result.getStatus().value()
					+ ", which the OpenAPI document does not describe: " + problems);
		}
	}

	private static List<String> problems(Operation operation, ExchangeResult result) {
		ContractDocument document = ContractDocument.get();
		List<String> problems = new ArrayList<>();
		int status = result.getStatus().value();
		if (status < 400 && !operation.documentsStatus(status)) {
			problems.add("status " + status + " is not documented");
		}
		MediaType type = result.getResponseHeaders().getContentType();
		byte[] body = result.getResponseBodyContent();
		if (type != null && isJson(type) && body != null && body.length > 0) {
			String media = type.getType() + "/" + type.getSubtype();
			Optional<String> schema = operation.responseSchema(status, media);
			if (schema.isEmpty()) {
				problems.add("no schema for a " + media + " answer");
			}
			else {
				problems.addAll(document.check(schema.get(), new String(body, StandardCharsets.UTF_8)));
			}
		}
		List<String> known = operation.queryParameters();
		if (status >= 200 && status < 300 && !known.isEmpty()) {
			// an operation without query parameters may ignore a cache buster (?v=2)
			UriComponentsBuilder.fromUri(result.getUrl())
				.build()
				.getQueryParams()
				.keySet()
				.stream()
				.filter((name) -> !known.contains(name))
				.forEach((name) -> problems.add("query parameter " + name + " is not documented"));
		}
		if (status >= 200 && status < 300) {
			MediaType sent = result.getRequestHeaders().getContentType();
			byte[] request = result.getRequestBodyContent();
			if (sent != null && isJson(sent) && request != null && request.length > 0) {
				Optional<String> schema = operation.requestSchema(sent.getType() + "/" + sent.getSubtype());
				if (schema.isEmpty()) {
					problems.add("no schema for the accepted " + sent + " request body");
				}
				else {
					document.check(schema.get(), new String(request, StandardCharsets.UTF_8))
						.forEach((problem) -> problems.add("accepted request: " + problem));
				}
			}
		}
		return problems;
	}

	private static boolean isJson(MediaType type) {
		return type.getSubtype().equals("json") || type.getSubtype().endsWith("+json");
	}

}
