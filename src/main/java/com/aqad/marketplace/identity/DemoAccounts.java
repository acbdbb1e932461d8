package com.aqad.marketplace.identity;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import com.aqad.marketplace.platform.web.ApiException;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * The local demo's accounts, one per role, printed at start-up
 * ({@code aqad.demo.accounts} and {@code aqad.demo.password}, set only by the local
 * profile). The vendor joins the first demo vendor organization, so it can edit the demo
 * catalog.
 */
@Component
@ConditionalOnProperty(name = "aqad.demo.accounts", havingValue = "true")
@Order(Ordered.LOWEST_PRECEDENCE)
class DemoAccounts implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(DemoAccounts.class);

	private final AccountService accounts;

	private final DatabaseClient db;

	private final String password;

	DemoAccounts(AccountService accounts, DatabaseClient db, Environment environment) {
		this.accounts = accounts;
		this.db = db;
		this.password = environment.getRequiredProperty("aqad.demo.password");
	}

	@Override
	public void run(ApplicationArguments args) {
		UUID vendorOrganization = this.db
			.sql("select id from organizations where kind = 'VENDOR' order by created_at, id limit 1")
			.map((row) -> row.get("id", UUID.class))
			.one()
			.blockOptional(Duration.ofSeconds(30))
			.orElse(null);
		List<AccountService.NewAccount> demo = List.of(
				new AccountService.NewAccount("admin@demo.aqad.local", this.password, Role.ADMIN, null, null),
				new AccountService.NewAccount("vendor@demo.aqad.local", this.password, Role.VENDOR,
						(vendorOrganization == null) ? "Demo Vendor" : null, vendorOrganization),
				new AccountService.NewAccount("retailer@demo.aqad.local", this.password, Role.RETAILER, "Demo Retailer",
						null),
				new AccountService.NewAccount("delivery@demo.aqad.local", this.password, Role.DELIVERY, null, null));
		Flux.fromIterable(demo)
			.concatMap((account) -> this.accounts.create(account)
				.then()
				.onErrorResume((ex) -> ex instanceof ApiException api && api.code().equals("email_taken"),
						(ex) -> Mono.empty()))
			.then()
			.block(Duration.ofSeconds(60));
		StringBuilder table = new StringBuilder("Demo accounts (password '").append(this.password).append("'):");
		demo.forEach((account) -> table.append("\n    ").append(account.role()).append("  ").append(account.email()));
		log.warn(table.toString());
	}

}
