package com.aqad.marketplace.catalog;

import java.util.Arrays;
import java.util.Optional;

/**
 * The orders a product list can be read in; each is a keyset over (key, id).
 */
enum ProductSort {

	NEWEST("newest"), PRICE_ASC("price_asc"), PRICE_DESC("price_desc"), RELEVANCE("relevance");

	private final String parameter;

	ProductSort(String parameter) {
		this.parameter = parameter;
	}

	String parameter() {
		return this.parameter;
	}

	static Optional<ProductSort> fromParameter(String value) {
		return Arrays.stream(values()).filter((sort) -> sort.parameter.equals(value)).findFirst();
	}

}
