package com.aqad.marketplace.platform.logging;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
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
 * read's samples. An appender is only handed events that are written (and this one takes
 * no lock: it only counts). Boot's {@code LogbackMetricsAutoConfiguration} is excluded in
 * {@code application.yaml}.
 */
@Component
class LogEvents implements MeterBinder, DisposableBean {

	private static final String NAME = "aqad-log-events";

	private final Map<Level, Counter> counters = new HashMap<>();

	private Counting appender;

	private LoggerContext context;

	@Override
	public void bindTo(MeterRegistry registry) {
		if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
			bindTo(registry, logback);
		}
	}

	/** counts the events of this logback context */
	void bindTo(MeterRegistry registry, LoggerContext context) {
		this.context = context;
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
		this.appender = counting;
		attach(context);
		// a reset of logback (Spring Boot initializing logging for another application
		// context) stops and detaches every appender: attach it again, as Micrometer
		// re-adds its turbo filter
		context.addListener(this.resets);
	}

	private void attach(LoggerContext context) {
		Counting counting = this.appender;
		counting.start();
		context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(counting);
	}

	private final LoggerContextListener resets = new LoggerContextListener() {

		@Override
		public boolean isResetResistant() {
			return true;
		}

		@Override
		public void onReset(LoggerContext context) {
			attach(context);
		}

		@Override
		public void onStart(LoggerContext context) {
		}

		@Override
		public void onStop(LoggerContext context) {
		}

		@Override
		public void onLevelChange(ch.qos.logback.classic.Logger logger, Level level) {
		}

	};

	@Override
	public void destroy() {
		Counting counting = this.appender;
		LoggerContext context = this.context;
		if (counting != null && context != null) {
			context.removeListener(this.resets);
			context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(counting);
			counting.stop();
		}
	}

	private static final class Counting extends UnsynchronizedAppenderBase<ILoggingEvent> {

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
