package com.aqad.marketplace.identity;

import java.util.UUID;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Which accounts may be given deliveries. Other features ask here, never the accounts
 * table.
 */
@Component
public class DeliveryPartners {

	private final AccountRepository accounts;

	DeliveryPartners(AccountRepository accounts) {
		this.accounts = accounts;
	}

	/**
	 * Whether the account exists, is a DELIVERY account and is not suspended.
	 */
	public Mono<Boolean> isActive(UUID accountId) {
		return this.accounts.findById(accountId)
			.map((account) -> account.role() == Role.DELIVERY && account.isActive())
			.defaultIfEmpty(false);
	}

}
