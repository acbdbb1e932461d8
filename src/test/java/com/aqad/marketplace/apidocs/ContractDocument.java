package com.aqad.marketplace.apidocs;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import org.springframework.core.io.ClassPathResource;

/**
 * The OpenAPI document as the tests read it: its operations, and what each says a request
 * and an answer look like, checked with a JSON Schema 2020-12 validator in the OpenAPI
 * 3.1 dialect.
 */
public final class ContractDocument {

	private static final ContractDocument INSTANCE = new ContractDocument();

	private final JsonNode document;

	private final List<Operation> operations = new ArrayList<>();

	private final SchemaRegistry schemas = SchemaRegistry.withDialect(Dialects.getOpenApi31());

	private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

	private ContractDocument() {
		try (var in = new ClassPathResource(ApiDescription.LOCATION).getInputStream()) {
			this.document = YAMLMapper.builder().build().readTree(in);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		for (Map.Entry<String, JsonNode> path : this.document.get("paths").properties()) {
			for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
				this.operations.add(new Operation(operation.getKey().toUpperCase(), path.getKey(), operation.getValue(),
						"/paths/" + escape(path.getKey()) + "/" + operation.getKey()));
			}
		}
	}

	public static ContractDocument get() {
		return INSTANCE;
	}

	public List<Operation> operations() {
		return this.operations;
	}

	JsonNode root() {
		return this.document;
	}

	/**
	 * The operation answering {@code method} on {@code path}; literal paths win over
	 * templates ({@code /orders/events} over {@code /orders/{id}}).
	 */
	Optional<Operation> find(String method, String path) {
		Operation templated = null;
		for (Operation operation : this.operations) {
			if (!operation.method().equals(method) || !operation.matches(path)) {
				continue;
			}
			if (!operation.path().contains("{")) {
				return Optional.of(operation);
			}
			templated = (templated != null) ? templated : operation;
		}
		return Optional.ofNullable(templated);
	}

	/**
	 * The problems of {@code json} against the schema at {@code pointer} (a JSON pointer
	 * into the document).
	 */
	List<String> check(String pointer, String json) {
		Schema schema = this.compiled.computeIfAbsent(pointer, (at) -> this.schemas
			.getSchema(SchemaLocation.of("classpath:" + ApiDescription.LOCATION + "#" + encode(at))));
		List<Error> errors = schema.validate(json, InputFormat.JSON);
		return errors.stream().map(Error::toString).toList();
	}

	static String escape(String token) {
		return token.replace("~", "~0").replace("/", "~1");
	}

	private static String encode(String pointer) {
		return pointer.replace("{", "%7B").replace("}", "%7D");
	}

	/**
	 * One operation of the document.
	 */
	public record Operation(String method, String path, JsonNode node, String pointer) {

		boolean matches(String requestPath) {
			String regex = "\\Q" + this.path.replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "\\E";
			return Pattern.matches(regex, requestPath);
		}

		/**
		 * The pointer of the schema of an answer with this status and media type, if the
		 * document gives one.
		 */
		Optional<String> responseSchema(int status, String mediaType) {
			JsonNode responses = this.node.get("responses");
			String key = responses.has(Integer.toString(status)) ? Integer.toString(status) : "default";
			JsonNode response = resolve(responses.get(key));
			if (response == null || !response.has("content") || !response.get("content").has(mediaType)) {
				return Optional.empty();
			}
			String base = (responses.get(key).has("$ref")) ? responses.get(key).get("$ref").asString().substring(1)
					: this.pointer + "/responses/" + key;
			return Optional.of(base + "/content/" + escape(mediaType) + "/schema");
		}

		boolean documentsStatus(int status) {
			return this.node.get("responses").has(Integer.toString(status));
		}

		public Optional<String> requestSchema(String mediaType) {
			JsonNode body = this.node.get("requestBody");
			if (body == null || !body.get("content").has(mediaType)) {
				return Optional.empty();
			}
			return Optional.of(this.pointer + "/requestBody/content/" + escape(mediaType) + "/schema");
		}

		/**
		 * The names of the properties of this operation's JSON request body, if any.
		 */
		public List<String> bodyProperties() {
			JsonNode body = this.node.get("requestBody");
			if (body == null) {
				return List.of();
			}
			JsonNode schema = resolve(body.get("content").get("application/json").get("schema"));
			List<String> names = new ArrayList<>();
			if (schema.has("properties")) {
				schema.get("properties").propertyNames().forEach(names::add);
			}
			return names;
		}

		public List<String> queryParameters() {
			List<String> names = new ArrayList<>();
			JsonNode parameters = this.node.get("parameters");
			if (parameters != null) {
				for (Iterator<JsonNode> it = parameters.iterator(); it.hasNext();) {
					JsonNode parameter = resolve(it.next());
					if ("query".equals(parameter.get("in").asString())) {
						names.add(parameter.get("name").asString());
					}
				}
			}
			return names;
		}

		private static JsonNode resolve(JsonNode node) {
			if (node == null || !node.has("$ref")) {
				return node;
			}
			return INSTANCE.document.at(node.get("$ref").asString().substring(1));
		}

	}

}
