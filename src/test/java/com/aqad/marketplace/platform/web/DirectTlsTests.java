package com.aqad.marketplace.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.aqad.marketplace.platform.devservices.ApiTest;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.client.HttpClient;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The server speaking TLS itself (no proxy in front): every response says
 * {@code Strict-Transport-Security}. {@link SecurityHeaders} decides it by the scheme
 * Reactor Netty gives a request that came over a TLS connection; a proxy's word for it is
 * tested in {@link ForwardedHttpsTests}, plain HTTP in {@link WebPlumbingTests}.
 */
@ApiTest
class DirectTlsTests {

	private static final String PASSWORD = "tls-test-only";

	@Value("${local.server.port}")
	private int port;

	@DynamicPropertySource
	static void tls(DynamicPropertyRegistry registry) throws Exception {
		Path keyStore = selfSignedKeyStore();
		registry.add("server.ssl.key-store", () -> keyStore.toUri().toString());
		registry.add("server.ssl.key-store-type", () -> "PKCS12");
		registry.add("server.ssl.key-store-password", () -> PASSWORD);
		registry.add("server.ssl.key-alias", () -> "server");
	}

	@Test
	void aRequestOverTlsGetsHsts() throws Exception {
		HttpClient tls = HttpClient.create()
			.secure((spec) -> spec.sslContext(Http11SslContextSpec.forClient()
				.configure((builder) -> builder.trustManager(InsecureTrustManagerFactory.INSTANCE))));
		WebTestClient https = WebTestClient.bindToServer(new ReactorClientHttpConnector(tls))
			.baseUrl("https://localhost:" + this.port)
			.build();
		https.get()
			.uri("/api/v1/categories")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("Strict-Transport-Security", "max-age=31536000 ; includeSubDomains");
		// a refusal over TLS carries it too
		https.get()
			.uri("/api/v1/me")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.exists("Strict-Transport-Security");
	}

	/**
	 * a fresh RSA key and self-signed certificate for localhost, made by the JDK's
	 * keytool
	 */
	private static Path selfSignedKeyStore() throws IOException, InterruptedException {
		Path directory = Files.createTempDirectory("aqad-tls-test");
		Path keyStore = directory.resolve("server.p12");
		Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
		Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "RSA",
				"-keysize", "2048", "-validity", "2", "-dname", "CN=localhost", "-ext",
				"san=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
				"-storepass", PASSWORD)
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("keytool.log").toFile())
			.start();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
		assertThat(process.exitValue()).as("keytool: " + Files.readString(directory.resolve("keytool.log"))).isZero();
		keyStore.toFile().deleteOnExit();
		directory.resolve("keytool.log").toFile().deleteOnExit();
		directory.toFile().deleteOnExit();
		return keyStore;
	}

}
