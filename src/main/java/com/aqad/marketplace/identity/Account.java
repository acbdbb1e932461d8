package com.aqad.marketplace.identity;

import java.time.Instant;
import java.util.UUID;

/**
 * An account as stored (the password hash never leaves this package).
 */
record Account(UUID id, String email, String passwordHash, Role role, UUID organizationId, Status status,
		Instant createdAt, String tier) {

	enum Status {

		ACTIVE, SUSPENDED

	}

	boolean isActive() {
		return this.status == Status.ACTIVE;
	}

	@Override
	public String toString() {
		return "Account[id=" + this.id + ", role=" + this.role + "]";
	}

	/**
	 * The account as the API shows it.
	 */
	record View(UUID id, String email, Role role, UUID organizationId, Status status, String tier, Instant createdAt) {

		static View of(Account account) {
			return new View(account.id(), account.email(), account.role(), account.organizationId(), account.status(),
					account.tier(), account.createdAt());
		}

	}

}
