package com.aqad.marketplace.platform.devservices;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;

import com.aqad.marketplace.MarketplaceApplication;
import com.aqad.marketplace.platform.redis.RedisAvailability;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A second instance of the application in the test JVM, on random ports, sharing the
 * JVM's PostgreSQL and Redis with the test's own instance, as instances share them in
 * production.
 */
public final class OtherInstance {

	private OtherInstance() {
	}

	/**
	 * Starts one with these settings ({@code name=value}). They are passed as
	 * command-line arguments: default properties would lose to {@code application.yaml}.
	 */
	public static ConfigurableApplicationContext start(String... settings) {
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0"));
		for (String setting : settings) {
			arguments.add("--" + setting);
		}
		ConfigurableApplicationContext instance = new SpringApplicationBuilder(MarketplaceApplication.class)
			.run(arguments.toArray(String[]::new));
		// the Redis connection opens just after start-up: until then signed-in requests
		// get 503
		Awaitility.await().atMost(Duration.ofSeconds(20)).until(instance.getBean(RedisAvailability.class)::isOpen);
		return instance;
	}

	public static int port(ConfigurableApplicationContext instance) {
		return Integer.parseInt(instance.getEnvironment().getProperty("local.server.port"));
	}

}
