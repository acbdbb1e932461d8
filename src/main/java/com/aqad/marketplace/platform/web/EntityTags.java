package com.aqad.marketplace.platform.web;

import java.util.zip.CRC32C;

/**
 * Entity tags of answers that have no version of their own (list pages, the category
 * list): a weak tag from the bytes of the body, so that shared caches and clients can
 * revalidate them with {@code If-None-Match}.
 */
public final class EntityTags {

	private EntityTags() {
	}

	/**
	 * {@code W/"<crc32c>-<length>"} of the body.
	 */
	public static String weak(byte[] body) {
		CRC32C crc = new CRC32C();
		crc.update(body);
		return "W/\"" + Long.toHexString(crc.getValue()) + "-" + Integer.toHexString(body.length) + "\"";
	}

}
