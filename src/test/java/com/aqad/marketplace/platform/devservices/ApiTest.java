package com.aqad.marketplace.platform.devservices;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.annotation.AliasFor;

/**
 * The whole application on a random port, against the JVM's real PostgreSQL and Redis
 * ({@link DataServices}), with a {@code WebTestClient} bound to it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
public @interface ApiTest {

	@AliasFor(annotation = SpringBootTest.class, attribute = "properties")
	String[] properties() default { "management.server.port=0" };

}
