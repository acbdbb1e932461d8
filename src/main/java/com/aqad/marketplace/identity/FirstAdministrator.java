package com.aqad.marketplace.identity;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Creates the first administrator from {@code aqad.identity.admin.*} when none exists;
 * there is no built-in password. It runs on the start-up thread before the application
 * reports ready and waits there for its one reactive chain, as Flyway waits for its
 * migrations.
 */
@Component
@Order(0)
class FirstAdministrator implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(FirstAdministrator.class);

	static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

	private final AccountService accounts;

	private final IdentityProperties.Admin admin;

	FirstAdministrator(AccountService accounts, IdentityProperties properties) {
		this.accounts = accounts;
		this.admin = properties.admin();
	}

	@Override
	public void run(ApplicationArguments args) {
		boolean configured = this.admin.email() != null && !this.admin.email().isBlank()
				&& this.admin.password() != null && !this.admin.password().isBlank();
		if (configured && (this.admin.password().length() < 12 || this.admin.password().length() > 128)) {
			throw new IllegalStateException("aqad.identity.admin.password must be 12 to 128 characters");
		}
		String email = configured ? AuthHandler.normalized(this.admin.email()) : null;
		Mono<String> outcome = this.accounts.anyAdmin().flatMap((exists) -> {
			if (exists) {
				return Mono.empty();
			}
			if (!configured) {
				return Mono.just("No administrator exists and none is configured: set aqad.identity.admin.email "
						+ "and aqad.identity.admin.password to create the first one at start-up");
			}
			return this.accounts
				.createIfAbsent(new AccountService.NewAccount(email, this.admin.password(), Role.ADMIN, null, null))
				.filter(Boolean::booleanValue)
				.map((created) -> "Created the first administrator: " + email);
		});
		// the start-up thread (never an event loop: Reactor refuses to block one) waits,
		// so
		// that the instance reports ready only once an administrator can sign in
		outcome.blockOptional(STARTUP_TIMEOUT).ifPresent(log::warn);
	}

}
