package com.aqad.marketplace.catalog;

import com.aqad.marketplace.platform.web.ApiException;

import org.springframework.http.HttpStatus;

/**
 * No product with this id is visible to the caller.
 */
class ProductNotFound extends ApiException {

	ProductNotFound() {
		super(HttpStatus.NOT_FOUND, "not_found", "There is no product with this id.");
	}

}
