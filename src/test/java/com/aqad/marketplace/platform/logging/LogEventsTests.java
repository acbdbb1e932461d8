package com.aqad.marketplace.platform.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.aqad.marketplace.platform.devservices.ApiTest;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code logback.events} counts the events written, per level, with no turbo filter asked
 * on every level check.
 */
@ApiTest
class LogEventsTests {

	@Autowired
	private MeterRegistry meters;

	@Test
	void theApplicationCountsLogEventsWithoutATurboFilter() {
		for (String level : new String[] { "error", "warn", "info", "debug", "trace" }) {
			assertThat(this.meters.find("logback.events").tag("level", level).counter()).as(level).isNotNull();
		}
		assertThat(((LoggerContext) LoggerFactory.getILoggerFactory()).getTurboFilterList()).isEmpty();
	}

	@Test
	void eventsAreStillCountedAfterLogbackIsReset() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		LoggerContext logback = new LoggerContext();
		logback.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
		LogEvents events = new LogEvents();
		events.bindTo(registry, logback);

		logback.getLogger("before").warn("counted");
		logback.getLogger("before").debug("below the effective level: not written, not counted");
		assertThat(registry.get("logback.events").tag("level", "warn").counter().count()).isEqualTo(1);
		assertThat(registry.get("logback.events").tag("level", "debug").counter().count()).isZero();
		// what Spring Boot does when it initializes logging for another application
		// context
		logback.reset();
		logback.getLogger("after").warn("counted too");

		assertThat(registry.get("logback.events").tag("level", "warn").counter().count()).isEqualTo(2);
		events.destroy();
		logback.getLogger("gone").warn("not counted");
		assertThat(registry.get("logback.events").tag("level", "warn").counter().count()).isEqualTo(2);
	}

}
