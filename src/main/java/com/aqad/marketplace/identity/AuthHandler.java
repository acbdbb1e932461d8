package com.aqad.marketplace.identity;

import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;

import com.aqad.marketplace.platform.web.ApiException;
import com.aqad.marketplace.platform.web.Page;
import com.aqad.marketplace.platform.web.Validation;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Registration, sign-in, refresh, sign-out and the caller's sessions.
 */
@Component
class AuthHandler {

	private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+");

	private final AccountService accounts;

	AuthHandler(AccountService accounts) {
		this.accounts = accounts;
	}

	record Registration(String email, String password, Role role, String organizationName) {

		@Override
		public String toString() {
			return "Registration[role=" + this.role + "]";
		}

	}

	record Login(String email, String password) {

		@Override
		public String toString() {
			return "Login[]";
		}

	}

	record Refresh(String refreshToken) {

		@Override
		public String toString() {
			return "Refresh[]";
		}

	}

	Mono<ServerResponse> register(ServerRequest request) {
		return request.bodyToMono(Registration.class)
			.switchIfEmpty(Mono.error(ApiException::missingBody))
			.flatMap((body) -> {
				Validation validation = new Validation();
				checkCredentials(validation, body.email(), body.password());
				validation.required(body.role(), "role")
					.check(body.role() == null || body.role() == Role.RETAILER || body.role() == Role.VENDOR, "role",
							"must be RETAILER or VENDOR")
					.required(body.organizationName(), "organizationName")
					.text(body.organizationName(), "organizationName", 1, 200, false)
					.verify();
				return this.accounts
					.create(new AccountService.NewAccount(normalized(body.email()), body.password(), body.role(),
							body.organizationName().strip(), null))
					.flatMap((account) -> created(request, account));
			});
	}

	Mono<ServerResponse> login(ServerRequest request) {
		return request.bodyToMono(Login.class).switchIfEmpty(Mono.error(ApiException::missingBody)).flatMap((body) -> {
			new Validation().required(body.email(), "email")
				.required(body.password(), "password")
				.check(body.email() == null || body.email().length() <= 254, "email", "is too long")
				.check(body.password() == null || body.password().length() <= 128, "password", "is too long")
				.verify();
			return this.accounts.login(normalized(body.email()), body.password()).flatMap(AuthHandler::tokens);
		});
	}

	Mono<ServerResponse> refresh(ServerRequest request) {
		return request.bodyToMono(Refresh.class)
			.switchIfEmpty(Mono.error(ApiException::missingBody))
			.flatMap((body) -> {
				new Validation().required(body.refreshToken(), "refreshToken").verify();
				return this.accounts.refresh(body.refreshToken()).flatMap(AuthHandler::tokens);
			});
	}

	/**
	 * Ends the caller's session; a token of an external provider has none here (it signs
	 * out at its provider).
	 */
	Mono<ServerResponse> logout(ServerRequest request) {
		return caller().filter((caller) -> caller.sessionId() != null)
			.flatMap((caller) -> this.accounts.endSession(caller.accountId(), caller.sessionId()))
			.then(ServerResponse.noContent().build());
	}

	Mono<ServerResponse> sessions(ServerRequest request) {
		return caller()
			.flatMap((caller) -> this.accounts.sessions(caller.accountId())
				.map((session) -> new SessionView(session.id(), session.createdAt(), session.lastRefreshedAt(),
						session.expiresAt(), session.id().equals(caller.sessionId())))
				.collectList())
			.flatMap((all) -> ServerResponse.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(new Page<>(all, null)));
	}

	Mono<ServerResponse> endSession(ServerRequest request) {
		String id = request.pathVariable("id");
		return caller().flatMap((caller) -> this.accounts.endSession(caller.accountId(), id))
			.then(ServerResponse.noContent().build());
	}

	record SessionView(String id, Instant createdAt, Instant lastRefreshedAt, Instant expiresAt, boolean current) {
	}

	static void checkCredentials(Validation validation, String email, String password) {
		validation.required(email, "email")
			.check(email == null || (email.length() <= 254 && EMAIL.matcher(email).matches()), "email",
					"must be an email address")
			.required(password, "password")
			.check(password == null || (password.length() >= 8 && password.length() <= 128), "password",
					"must be 8 to 128 characters");
	}

	static String normalized(String email) {
		return email.strip().toLowerCase(Locale.ROOT);
	}

	static Mono<Caller> caller() {
		return Caller.current().switchIfEmpty(Mono.error(() -> new IllegalStateException("no caller")));
	}

	static Mono<ServerResponse> created(ServerRequest request, Account account) {
		return ServerResponse.status(HttpStatus.CREATED)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Account.View.of(account));
	}

	private static Mono<ServerResponse> tokens(AccountService.TokenPair pair) {
		return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(pair);
	}

}
