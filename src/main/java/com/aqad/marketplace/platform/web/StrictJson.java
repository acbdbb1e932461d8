package com.aqad.marketplace.platform.web;

import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.StringNode;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * JSON bodies that can only be read one way: a field given twice is refused (the last one
 * does not silently win), and so is text that is not valid Unicode (a NUL, a lone UTF-16
 * surrogate): PostgreSQL would refuse the first with an error and store the second as
 * {@code ?}, and password hashing cannot encode it. Both are a 400 that names the field
 * when it has a name. (Unknown fields, wrong types and trailing tokens are refused by
 * {@code spring.jackson.*} settings.)
 */
@Configuration(proxyBeanMethods = false)
class StrictJson {

	@Bean
	JsonMapperBuilderCustomizer strictJsonReading() {
		return (builder) -> builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			.addModule(new SimpleModule("valid-text").addDeserializer(String.class, new ValidText()))
			.nodeFactory(new ValidTextNodes());
	}

	/**
	 * Whether the text is valid Unicode without NUL: every surrogate in a pair.
	 */
	static boolean isValid(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == 0) {
				return false;
			}
			if (Character.isHighSurrogate(c)) {
				if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
					return false;
				}
				i++;
			}
			else if (Character.isLowSurrogate(c)) {
				return false;
			}
		}
		return true;
	}

	static final String INVALID = "is not valid Unicode text (NUL or a lone surrogate)";

	/**
	 * Strings of records and other bound types.
	 */
	static final class ValidText extends StringDeserializer {

		@Override
		public String deserialize(JsonParser parser, DeserializationContext context) {
			String text = super.deserialize(parser, context);
			if (text != null && !isValid(text)) {
				throw context.weirdStringException(text, String.class, INVALID);
			}
			return text;
		}

	}

	/**
	 * Strings of bodies read as a tree ({@code JsonNode}).
	 */
	static final class ValidTextNodes extends JsonNodeFactory {

		@Override
		public StringNode stringNode(String text) {
			if (text != null && !isValid(text)) {
				throw InvalidFormatException.from(null, "A text " + INVALID, text, String.class);
			}
			return super.stringNode(text);
		}

	}

}
