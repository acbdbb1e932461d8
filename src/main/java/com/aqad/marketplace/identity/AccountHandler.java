package com.aqad.marketplace.identity;

import java.util.UUID;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;

import com.aqad.marketplace.platform.web.ApiException;
import com.aqad.marketplace.platform.web.Ids;
import com.aqad.marketplace.platform.web.Page;
import com.aqad.marketplace.platform.web.Validation;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The caller's own account, and the administration of all accounts.
 */
@Component
class AccountHandler {

	private static final int DEFAULT_PAGE = 20;

	private static final int MAX_PAGE = 100;

	private static final Pattern TIER = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");

	private final AccountService accounts;

	AccountHandler(AccountService accounts) {
		this.accounts = accounts;
	}

	record NewAccountRequest(String email, String password, Role role, String organizationName, UUID organizationId,
			String tier) {

		@Override
		public String toString() {
			return "NewAccountRequest[role=" + this.role + "]";
		}

	}

	Mono<ServerResponse> me(ServerRequest request) {
		return AuthHandler.caller()
			.flatMap((caller) -> this.accounts.account(caller.accountId()))
			.flatMap((account) -> ServerResponse.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Account.View.of(account)));
	}

	Mono<ServerResponse> create(ServerRequest request) {
		return request.bodyToMono(NewAccountRequest.class)
			.switchIfEmpty(Mono.error(ApiException::missingBody))
			.flatMap((body) -> {
				Validation validation = new Validation();
				AuthHandler.checkCredentials(validation, body.email(), body.password());
				validation.required(body.role(), "role")
					.text(body.organizationName(), "organizationName", 1, 200, false);
				if (body.role() != null && body.role().hasOrganization()) {
					validation.check((body.organizationName() == null) != (body.organizationId() == null),
							"organizationName", "give either organizationName (a new organization) or organizationId");
				}
				else {
					validation.check(body.organizationName() == null && body.organizationId() == null, "organizationId",
							"only VENDOR and RETAILER accounts belong to an organization");
				}
				validation.check(body.tier() == null || TIER.matcher(body.tier()).matches(), "tier",
						"must be a tier name: lower-case letters, digits, '-' or '_', at most 40");
				validation.verify();
				return this.accounts
					.create(new AccountService.NewAccount(AuthHandler.normalized(body.email()), body.password(),
							body.role(), (body.organizationName() != null) ? body.organizationName().strip() : null,
							body.organizationId(), body.tier()));
			})
			.flatMap((account) -> AuthHandler.created(request, account));
	}

	Mono<ServerResponse> list(ServerRequest request) {
		var query = request.queryParams();
		Validation validation = new Validation();
		for (String name : query.keySet()) {
			validation.check(name.equals("limit") || name.equals("cursor"), name, "unknown parameter");
			validation.check(query.get(name).size() == 1, name, "give it once");
		}
		int limit = DEFAULT_PAGE;
		String limitText = query.getFirst("limit");
		if (limitText != null) {
			try {
				limit = Integer.parseInt(limitText);
			}
			catch (NumberFormatException ex) {
				limit = -1;
			}
			validation.check(limit >= 1 && limit <= MAX_PAGE, "limit", "must be 1 to " + MAX_PAGE);
		}
		validation.verify();
		String cursor = query.getFirst("cursor");
		AccountCursor after = (cursor != null) ? AccountCursor.parse(cursor) : null;
		return this.accounts.accounts(after, limit)
			.map((page) -> new Page<>(page.items().stream().map(Account.View::of).toList(), page.nextCursor()))
			.flatMap((page) -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(page));
	}

	Mono<ServerResponse> suspend(ServerRequest request) {
		UUID id = uuid(request.pathVariable("id"), "No such account.");
		return AuthHandler.caller()
			.flatMap((admin) -> this.accounts.suspend(admin, id))
			.then(ServerResponse.noContent().build());
	}

	static UUID uuid(String value, String notFound) {
		return Ids.parse(value).orElseThrow(() -> ApiException.notFound(notFound));
	}

}
