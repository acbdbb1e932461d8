package com.aqad.marketplace.platform.web;

import java.util.List;

/**
 * A page of a list: its items and the opaque cursor of the next page ({@code null} on the
 * last).
 *
 * @param <T> the item type
 */
public record Page<T>(List<T> items, String nextCursor) {

	public Page {
		items = List.copyOf(items);
	}

}
