package com.aqad.marketplace.platform.web;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The RFC 9457 body of every error this API returns.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
record Problem(String type, String title, int status, String detail, String instance, String code, String requestId,
		List<ApiException.FieldProblem> errors) {

	static String typeOf(String code) {
		return "urn:aqad:problem:" + code;
	}

}
