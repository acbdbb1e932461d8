package com.aqad.marketplace.identity;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.aqad.marketplace.platform.web.ApiException;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Creates the first administrator from {@code aqad.identity.admin.*} when none exists. It
 * runs on the start-up thread before the application reports ready, so it waits for its
 * result (as Flyway does); there is no built-in password.
 */
@Component
@Order(0)
class FirstAdministrator implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(FirstAdministrator.class);

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
		Boolean exists = this.accounts.anyAdmin().block(Duration.ofSeconds(30));
		if (Boolean.TRUE.equals(exists)) {
			return;
		}
		if (!configured) {
			log.warn("No administrator exists and none is configured: set aqad.identity.admin.email and "
					+ "aqad.identity.admin.password to create the first one at start-up");
			return;
		}
		String email = AuthHandler.normalized(this.admin.email());
		if (this.admin.password().length() < 12 || this.admin.password().length() > 128) {
			throw new IllegalStateException("aqad.identity.admin.password must be 12 to 128 characters");
		}
		boolean created = this.accounts
			.create(new AccountService.NewAccount(email, this.admin.password(), Role.ADMIN, null, null))
			.thenReturn(true)
			// another instance starting at the same moment created it
			.onErrorReturn((ex) -> ex instanceof ApiException api && api.code().equals("email_taken"), false)
			.block(Duration.ofSeconds(30));
		if (created) {
			log.info("Created the first administrator: {}", email);
		}
	}

}
