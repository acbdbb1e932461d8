package com.aqad.marketplace.platform.logging;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * {@code logback.events} (tag {@code level}): the log events written, per level, as
 * Micrometer's {@code LogbackMetrics} names them, counted by an appender on the root
 * logger. Micrometer counts them with a logback turbo filter instead, and a turbo filter
 * is asked on every level check ({@code isDebugEnabled()}), logged or not: Spring and
 * Reactor ask dozens of those per request, and the filter list cost 2.2 % of a cached
 * read's samples. An appender is only handed events that are written. Boot's
 * {@code LogbackMetricsAutoConfiguration} is excluded in {@code application.yaml}.
 */
@Component
class LogEvents implements MeterBinder, DisposableBean {

	private static final String NAME = "aqad-log-events";

	private final Map<Level, Counter> counters = new HashMap<>();

	private Counting appender;

	@Override
	public void bindTo(MeterRegistry registry) {
		if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
			return;
		}
		for (Level level : new Level[] { Level.ERROR, Level.WARN, Level.INFO, Level.DEBUG, Level.TRACE }) {
			this.counters.put(level,
					Counter.builder("logback.events")
						.tag("level", level.levelStr.toLowerCase(Locale.ROOT))
						.description("Number of log events that were enabled by the effective log level")
						.baseUnit("events")
						.register(registry));
		}
		Counting counting = new Counting(Map.copyOf(this.counters));
		counting.setContext(context);
		// one per application context (tests run several), each counting for its own
		// registry, as Micrometer's turbo filters did
		counting.setName(NAME + "-" + Integer.toHexString(System.identityHashCode(this)));
		counting.start();
		context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(counting);
		this.appender = counting;
	}

	@Override
	public void destroy() {
		Counting counting = this.appender;
		if (counting != null && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
			context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(counting);
			counting.stop();
		}
	}

	private static final class Counting extends AppenderBase<ILoggingEvent> {

		private final Map<Level, Counter> counters;

		Counting(Map<Level, Counter> counters) {
			this.counters = counters;
		}

		@Override
		protected void append(ILoggingEvent event) {
			Counter counter = this.counters.get(event.getLevel());
			if (counter != null) {
				counter.increment();
			}
		}

	}

}
