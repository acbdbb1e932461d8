package com.aqad.marketplace.platform.logging;

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

	private static final Logger log = LoggerFactory.getLogger(LogEventsTests.class);

	@Autowired
	private MeterRegistry meters;

	@Test
	void writtenEventsAreCountedByLevelAndLevelChecksMeetNoTurboFilter() {
		double warnings = count("warn");
		double debugs = count("debug");

		log.warn("A warning the log events count");
		log.debug("Below the effective level: not written, not counted");

		assertThat(count("warn")).isEqualTo(warnings + 1);
		assertThat(count("debug")).isEqualTo(debugs);
		assertThat(((LoggerContext) LoggerFactory.getILoggerFactory()).getTurboFilterList()).isEmpty();
	}

	@Test
	void eventsAreStillCountedAfterLogbackIsReset() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		LoggerContext logback = new LoggerContext();
		LogEvents events = new LogEvents();
		events.bindTo(registry, logback);

		logback.getLogger("before").warn("counted");
		// what Spring Boot does when it initializes logging for another application
		// context
		logback.reset();
		logback.getLogger("after").warn("counted too");

		assertThat(registry.get("logback.events").tag("level", "warn").counter().count()).isEqualTo(2);
		events.destroy();
		logback.getLogger("gone").warn("not counted");
		assertThat(registry.get("logback.events").tag("level", "warn").counter().count()).isEqualTo(2);
	}

	private double count(String level) {
		return this.meters.get("logback.events").tag("level", level).counter().count();
	}

}
