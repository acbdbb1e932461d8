package com.aqad.marketplace.catalog;

import com.aqad.marketplace.identity.Caller;
import com.aqad.marketplace.identity.Role;
import com.aqad.marketplace.identity.Scope;

/**
 * Who may see and change which product, as one table (routes decide who may call at all;
 * see {@link CatalogRoutes#catalogAccess()}):
 *
 * <pre>
 * caller                       | ACTIVE product | DRAFT / ARCHIVED | change (PATCH, DELETE)
 * anonymous, RETAILER, DELIVERY| see            | 404              | 403 if seen, else 404
 * VENDOR of the product's org  | see            | see              | allowed
 * VENDOR of another org        | see            | 404              | 403 if seen, else 404
 * ADMIN                        | see            | see              | allowed
 * </pre>
 *
 * An API key sees non-public products of its owner only with {@code catalog:read}.
 */
final class ProductRules {

	private ProductRules() {
	}

	enum Decision {

		/** go ahead */
		ALLOW,
		/** the caller may not know the product exists: 404 */
		HIDE,
		/** the caller sees the product but may not do this: 403 */
		FORBID

	}

	static Decision view(Caller caller, Product product) {
		if (product.isPublic()) {
			return Decision.ALLOW;
		}
		if (caller == null || (caller.viaApiKey() && !caller.may(Scope.CATALOG_READ))) {
			return Decision.HIDE;
		}
		return (caller.is(Role.ADMIN) || owns(caller, product)) ? Decision.ALLOW : Decision.HIDE;
	}

	static Decision change(Caller caller, Product product) {
		if (view(caller, product) != Decision.ALLOW) {
			return Decision.HIDE;
		}
		return (caller != null && (caller.is(Role.ADMIN) || owns(caller, product))) ? Decision.ALLOW : Decision.FORBID;
	}

	private static boolean owns(Caller caller, Product product) {
		return caller.is(Role.VENDOR) && caller.belongsTo(product.vendorId());
	}

}
