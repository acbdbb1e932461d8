package com.aqad.marketplace.identity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * An authenticated request: its {@link Caller} is the principal; the credentials (token
 * or key) are not kept.
 */
final class CallerAuthentication extends AbstractAuthenticationToken {

	private final Caller caller;

	private final Instant expiresAt;

	CallerAuthentication(Caller caller) {
		this(caller, null);
	}

	/**
	 * @param expiresAt when the credentials expire, when known
	 */
	CallerAuthentication(Caller caller, Instant expiresAt) {
		super(authorities(caller));
		this.caller = caller;
		this.expiresAt = expiresAt;
		setAuthenticated(true);
	}

	Instant expiresAt() {
		return this.expiresAt;
	}

	@Override
	public Caller getPrincipal() {
		return this.caller;
	}

	@Override
	public Object getCredentials() {
		return null;
	}

	@Override
	public String getName() {
		return this.caller.accountId().toString();
	}

	private static List<GrantedAuthority> authorities(Caller caller) {
		List<GrantedAuthority> authorities = new ArrayList<>();
		authorities.add(new SimpleGrantedAuthority("ROLE_" + caller.role().name()));
		caller.scopes().forEach((scope) -> authorities.add(new SimpleGrantedAuthority("SCOPE_" + scope.value())));
		return authorities;
	}

}
