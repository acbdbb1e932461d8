package com.aqad.marketplace.catalog;

import java.nio.charset.StandardCharsets;

import com.aqad.marketplace.platform.web.EntityTags;

/**
 * A cached answer as it is written: its UTF-8 bytes and their weak entity tag, computed
 * once when the answer is cached rather than on every request that reads it.
 *
 * @param bytes the JSON, UTF-8
 * @param etag the weak entity tag of the bytes
 */
record CachedJson(byte[] bytes, String etag) {

	static CachedJson of(String json) {
		byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
		return new CachedJson(bytes, EntityTags.weak(bytes));
	}

}
