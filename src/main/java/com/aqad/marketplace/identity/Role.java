package com.aqad.marketplace.identity;

/**
 * An account's one role.
 */
public enum Role {

	ADMIN, VENDOR, RETAILER, DELIVERY;

	/**
	 * Whether accounts of this role belong to an organization of the same kind.
	 */
	public boolean hasOrganization() {
		return this == VENDOR || this == RETAILER;
	}

}
