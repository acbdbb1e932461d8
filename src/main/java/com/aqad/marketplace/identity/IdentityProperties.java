package com.aqad.marketplace.identity;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code aqad.identity.*}: tokens, signing keys, sessions, password hashing and the first
 * administrator.
 *
 * @param issuer the {@code iss} of our tokens and the base of {@code jwks_uri}
 * @param audience the {@code aud} of our tokens; tokens for another audience are refused
 * @param accessTokenTtl how long an access token is valid
 * @param refreshTokenTtl how long a session lives without being refreshed
 * @param clockSkew tolerance on {@code exp} and {@code nbf}
 * @param activeKey the {@code kid} that signs new tokens (default: the first key)
 * @param keys every key whose tokens are accepted and published (rotation: add the new
 * key, make it active, drop the old one after an access-token lifetime)
 * @param sessions revocation settings
 * @param passwords hashing settings
 * @param admin the first administrator, created at start-up when no administrator exists
 * @param external an external OpenID provider whose tokens are also trusted
 */
@Validated
@ConfigurationProperties("aqad.identity")
public record IdentityProperties(@DefaultValue("http://localhost:8080") @NotBlank String issuer,
		@DefaultValue("aqad-marketplace") @NotBlank String audience,
		@DefaultValue("15m") @NotNull Duration accessTokenTtl, @DefaultValue("14d") @NotNull Duration refreshTokenTtl,
		@DefaultValue("30s") @NotNull Duration clockSkew, String activeKey, @DefaultValue List<@Valid Key> keys,
		@DefaultValue @Valid @NotNull Sessions sessions, @DefaultValue @Valid @NotNull Passwords passwords,
		@DefaultValue @Valid @NotNull Admin admin, @DefaultValue @Valid @NotNull External external) {

	/**
	 * A signing key: its id and its RSA private key (PKCS#8 PEM), or only a public key
	 * (X.509 PEM) for a retired key whose tokens are still accepted.
	 */
	public record Key(@NotBlank String id, String privateKey, String publicKey) {

		@Override
		public String toString() {
			return "Key[id=" + this.id + "]";
		}

	}

	/**
	 * @param livenessTtl how long an instance trusts that a session it checked in Redis
	 * is still live, while the revocation channel is healthy
	 * @param heartbeat how often each instance pings itself on the revocation channel
	 * @param staleAfter without its own ping for this long an instance stops trusting its
	 * local view and checks Redis on every request
	 * @param maxPerAccount live sessions an account may hold; the oldest go first
	 */
	public record Sessions(@DefaultValue("30s") @NotNull Duration livenessTtl,
			@DefaultValue("200ms") @NotNull Duration heartbeat, @DefaultValue("700ms") @NotNull Duration staleAfter,
			@DefaultValue("20") @Min(1) @Max(1000) int maxPerAccount) {
	}

	/**
	 * @param hashingThreads threads that hash passwords (Argon2id, 16 MiB each); default:
	 * half the cores, so that a login flood leaves the rest to every other request
	 * @param queueLimit hashes that may wait for a thread before logins answer 503
	 * @param maxPerSecond hashes this instance computes per second at most (each costs
	 * ~30 ms of a core here); beyond it logins and registrations answer 503 at once
	 */
	public record Passwords(@DefaultValue("0") @Min(0) int hashingThreads, @DefaultValue("256") @Min(1) int queueLimit,
			@DefaultValue("10") @Min(1) int maxPerSecond) {

		int threads() {
			return (this.hashingThreads > 0) ? this.hashingThreads
					: Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
		}

	}

	/**
	 * The first administrator: set both to create it when no administrator exists.
	 */
	public record Admin(String email, String password) {

		@Override
		public String toString() {
			return "Admin[email=" + this.email + "]";
		}

	}

	/**
	 * @param issuerUri the external provider's issuer (its discovery document and keys
	 * are fetched from there); empty: none
	 * @param audience the audience its tokens must carry
	 * @param roleClaim the claim naming the role
	 * @param organizationClaim the claim naming the organization id
	 * @param accountClaim the claim holding our account id (default {@code sub})
	 */
	public record External(String issuerUri, String audience, @DefaultValue("role") String roleClaim,
			@DefaultValue("org") String organizationClaim, @DefaultValue("sub") String accountClaim) {

		boolean enabled() {
			return this.issuerUri != null && !this.issuerUri.isBlank();
		}

	}

}
