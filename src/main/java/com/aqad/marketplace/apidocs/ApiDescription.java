package com.aqad.marketplace.apidocs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;

/**
 * The OpenAPI document, read once at start-up: the YAML as written, and the same as JSON
 * for {@code /v3/api-docs}.
 */
final class ApiDescription {

	static final String LOCATION = "openapi/marketplace-api.yaml";

	private static final String SWAGGER_UI_POM = "META-INF/maven/org.webjars/swagger-ui/pom.properties";

	private final byte[] yaml;

	private final byte[] json;

	private ApiDescription(byte[] yaml, byte[] json) {
		this.yaml = yaml;
		this.json = json;
	}

	static ApiDescription load() {
		byte[] yaml = read(new ClassPathResource(LOCATION));
		JsonNode document = YAMLMapper.builder().build().readTree(yaml);
		return new ApiDescription(yaml, JsonMapper.builder().build().writeValueAsBytes(document));
	}

	byte[] yaml() {
		return this.yaml;
	}

	byte[] json() {
		return this.json;
	}

	/**
	 * Where the Swagger UI web jar keeps its files (they sit under its version).
	 */
	static Resource swaggerUi() {
		Properties pom = new Properties();
		try (InputStream in = new ClassPathResource(SWAGGER_UI_POM).getInputStream()) {
			pom.load(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Swagger UI's web jar is not on the class path", ex);
		}
		return new ClassPathResource("META-INF/resources/webjars/swagger-ui/" + pom.getProperty("version") + "/");
	}

	private static byte[] read(Resource resource) {
		try (InputStream in = resource.getInputStream()) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read " + resource, ex);
		}
	}

}
