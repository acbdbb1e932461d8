package com.aqad.marketplace.identity;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
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

	private final String password;

	DemoAccounts(AccountService accounts, Environment environment) {
		this.accounts = accounts;
		this.password = environment.getRequiredProperty("aqad.demo.password");
	}

	@Override
	public void run(ApplicationArguments args) {
		Mono<List<AccountService.NewAccount>> seeded = this.accounts.firstOrganization(Role.VENDOR)
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.map(this::demoAccounts)
			.flatMap((demo) -> Flux.fromIterable(demo).concatMap(this.accounts::createIfAbsent).then(Mono.just(demo)));
		// the start-up thread (never an event loop: Reactor refuses to block one) waits,
		// so
		// that the accounts exist and are printed before the instance reports ready
		List<AccountService.NewAccount> demo = seeded.block(FirstAdministrator.STARTUP_TIMEOUT);
		StringBuilder table = new StringBuilder("Demo accounts (password '").append(this.password).append("'):");
		demo.forEach((account) -> table.append("\n    ").append(account.role()).append("  ").append(account.email()));
		log.warn(table.toString());
	}

	private List<AccountService.NewAccount> demoAccounts(Optional<UUID> vendorOrganization) {
		return List.of(new AccountService.NewAccount("admin@demo.aqad.local", this.password, Role.ADMIN, null, null),
				new AccountService.NewAccount("vendor@demo.aqad.local", this.password, Role.VENDOR,
						vendorOrganization.isPresent() ? null : "Demo Vendor", vendorOrganization.orElse(null)),
				new AccountService.NewAccount("retailer@demo.aqad.local", this.password, Role.RETAILER, "Demo Retailer",
						null),
				new AccountService.NewAccount("delivery@demo.aqad.local", this.password, Role.DELIVERY, null, null));
	}

}
