package com.aqad.marketplace.identity;

import java.util.Set;
import java.util.UUID;

import reactor.core.publisher.Mono;

import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;

/**
 * Who is making the current request: the account, its role and organization, and, when
 * the request came with an API key, the key's scopes.
 *
 * @param accountId the account acting
 * @param role the account's role
 * @param organizationId the account's organization (vendors and retailers only)
 * @param sessionId the session of a bearer token; {@code null} for API keys
 * @param apiKeyId the API key used; {@code null} for bearer tokens
 * @param scopes what an API key may do; every scope for bearer tokens
 * @param tier the account's rate-limit tier; {@code null} when not known (external
 * tokens)
 */
public record Caller(UUID accountId, Role role, UUID organizationId, String sessionId, UUID apiKeyId, Set<Scope> scopes,
		String tier) {

	/**
	 * The exchange attribute that holds the caller when the security filter authenticated
	 * the request by its own shortcut; otherwise only the security context has it.
	 */
	public static final String ATTRIBUTE = Caller.class.getName();

	public Caller {
		scopes = Set.copyOf(scopes);
	}

	/**
	 * The caller of the current request, or empty when it is anonymous.
	 */
	public static Mono<Caller> current() {
		return ReactiveSecurityContextHolder.getContext()
			.map(SecurityContext::getAuthentication)
			.filter((authentication) -> authentication.getPrincipal() instanceof Caller)
			.map((authentication) -> (Caller) authentication.getPrincipal());
	}

	public boolean is(Role role) {
		return this.role == role;
	}

	/**
	 * Whether this caller belongs to the given organization.
	 */
	public boolean belongsTo(UUID organizationId) {
		return this.organizationId != null && this.organizationId.equals(organizationId);
	}

	public boolean may(Scope scope) {
		return this.scopes.contains(scope);
	}

	public boolean viaApiKey() {
		return this.apiKeyId != null;
	}

}
