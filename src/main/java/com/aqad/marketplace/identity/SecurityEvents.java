package com.aqad.marketplace.identity;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import org.springframework.stereotype.Component;

/**
 * Security events as structured log lines on the {@code aqad.security} logger: an
 * {@code event} name and key-value fields (shown in the message for plain-text logs and
 * as key-value pairs for structured ones). Callers pass identifiers and reasons, never a
 * secret, token or password; values are stripped of control characters so that no client
 * input can forge a log line.
 */
@Component
public class SecurityEvents {

	private static final Logger log = LoggerFactory.getLogger("aqad.security");

	private static final int MAX_VALUE = 200;

	/**
	 * Logs one event with its fields, given as name, value, name, value...
	 */
	public void record(String event, Object... fields) {
		LoggingEventBuilder builder = log.atWarn().addKeyValue("event", event);
		StringBuilder message = new StringBuilder("security event=").append(event);
		for (int i = 0; i + 1 < fields.length; i += 2) {
			String key = String.valueOf(fields[i]);
			String value = clean(fields[i + 1]);
			builder.addKeyValue(key, value);
			message.append(' ').append(key).append('=').append(value);
		}
		builder.log(message.toString());
	}

	static String clean(Object value) {
		String text = String.valueOf(value);
		StringBuilder clean = new StringBuilder(Math.min(text.length(), MAX_VALUE));
		for (int i = 0; i < text.length() && clean.length() < MAX_VALUE; i++) {
			char c = text.charAt(i);
			clean.append((Character.isISOControl(c) || Character.isWhitespace(c)) ? '_' : c);
		}
		return clean.toString();
	}

}
