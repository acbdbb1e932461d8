package com.aqad.marketplace.identity;

import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.Date;
import java.util.function.UnaryOperator;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.aqad.marketplace.identity.TestAccounts.SignedIn;
import com.aqad.marketplace.platform.devservices.ApiTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every way a token can be bad is refused with 401 {@code invalid_token}. The control
 * case (a token this test signs with the real key and the real claims) passes, so each
 * refusal is down to the one thing each attack changes.
 */
@ApiTest
@ExtendWith(OutputCaptureExtension.class)
class JwtAttackTests {

	@Autowired
	private WebTestClient http;

	private TestAccounts accounts;

	private SignedIn vendor;

	private String sessionId;

	private RSAPrivateCrtKey key;

	@BeforeEach
	void signedIn() throws Exception {
		this.accounts = new TestAccounts(this.http);
		this.vendor = this.accounts.register(Role.VENDOR);
		this.sessionId = SignedJWT.parse(this.vendor.accessToken()).getJWTClaimsSet().getStringClaim("sid");
		this.key = TestTokens.throwawayKey();
	}

	@Test
	void theControlTokenSignedLikeOursIsAccepted() throws Exception {
		me(rs256("local-throwaway", this.key, claims(UnaryOperator.identity()))).expectStatus().isOk();
	}

	@Test
	void anUnsignedTokenIsRefused() {
		String none = new PlainJWT(claims(UnaryOperator.identity())).serialize();
		refused(none);
	}

	@Test
	void anHs256TokenKeyedWithOurPublicKeyIsRefused() throws Exception {
		RSAPublicKey publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
			.generatePublic(new RSAPublicKeySpec(this.key.getModulus(), this.key.getPublicExponent()));
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("local-throwaway").build(),
				claims(UnaryOperator.identity()));
		jwt.sign(new MACSigner(publicKey.getEncoded()));
		refused(jwt.serialize());
	}

	@Test
	void aTamperedPayloadIsRefused() throws Exception {
		String[] parts = rs256("local-throwaway", this.key, claims(UnaryOperator.identity())).split("\\.");
		String admin = Base64URL.encode(claims((c) -> c.claim("role", "ADMIN")).toString()).toString();
		refused(parts[0] + "." + admin + "." + parts[2]);
	}

	@Test
	void aWrongIssuerOrAudienceIsRefused() throws Exception {
		refused(rs256("local-throwaway", this.key, claims((c) -> c.issuer("https://evil.example.com"))));
		refused(rs256("local-throwaway", this.key, claims((c) -> c.audience("another-api"))));
	}

	@Test
	void anExpiredTokenIsRefusedBeyondTheClockSkew(CapturedOutput output) throws Exception {
		refused(rs256("local-throwaway", this.key,
				claims((c) -> c.expirationTime(Date.from(Instant.now().minusSeconds(120)))
					.issueTime(Date.from(Instant.now().minusSeconds(1000)))
					.notBeforeTime(Date.from(Instant.now().minusSeconds(1000))))));
		assertThat(output.getAll()).contains("event=credentials_rejected").contains("expired");
	}

	@Test
	void aTokenNotYetValidIsRefused() throws Exception {
		refused(rs256("local-throwaway", this.key,
				claims((c) -> c.notBeforeTime(Date.from(Instant.now().plusSeconds(600))))));
	}

	@Test
	void anUnknownKeyIdOrAnotherKeyIsRefused() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		RSAPrivateCrtKey stranger = (RSAPrivateCrtKey) generator.generateKeyPair().getPrivate();
		refused(rs256("someone-elses", stranger, claims(UnaryOperator.identity())));
		refused(rs256("local-throwaway", stranger, claims(UnaryOperator.identity())));
	}

	@Test
	void aTokenWithoutASessionIsRefused() throws Exception {
		refused(rs256("local-throwaway", this.key, claims((c) -> c.claim("sid", null))));
		refused(rs256("local-throwaway", this.key, claims((c) -> c.claim("sid", "made-up-session"))));
	}

	@Test
	void aTokenOfASuspendedAccountIsRefused() {
		this.http.post()
			.uri("/api/v1/admin/accounts/{id}/suspend", this.vendor.accountId())
			.headers(this.accounts.admin()::bearer)
			.exchange()
			.expectStatus()
			.isNoContent();
		refused(this.vendor.accessToken());
	}

	@Test
	void aTokenAfterLogoutIsRefused() {
		logOut();
		refused(this.vendor.accessToken());
	}

	@Test
	void aTokenUsedOnAPublicRouteIsRefusedThereAfterLogout() {
		// twice: verified, then remembered with its session known live
		for (int i = 0; i < 2; i++) {
			this.http.get()
				.uri("/api/v1/categories")
				.headers(this.vendor::bearer)
				.exchange()
				.expectStatus()
				.isOk()
				.expectHeader()
				.cacheControl(CacheControl.noStore());
		}
		logOut();
		this.http.get()
			.uri("/api/v1/categories")
			.headers(this.vendor::bearer)
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
	}

	@Test
	void aBadTokenIsRefusedEvenOnAPublicRoute() {
		this.http.get()
			.uri("/api/v1/categories")
			.headers((headers) -> headers.setBearerAuth("not.a.jwt"))
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	@Test
	void aTokenWithoutExpiryIsRefused() throws Exception {
		refused(rs256("local-throwaway", this.key, claims((c) -> c.expirationTime(null))));
	}

	@Test
	void aTokenWithoutTypeIsRefused() throws Exception {
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("local-throwaway").build(),
				claims(UnaryOperator.identity()));
		jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(this.key));
		refused(jwt.serialize());
	}

	@Test
	void aLiveSessionIdNamedByAnotherAccountIsNotTrusted() throws Exception {
		// the vendor's session is live and remembered by this instance
		me(this.vendor.accessToken()).expectStatus().isOk();
		SignedIn other = this.accounts.register(Role.RETAILER);
		String forged = rs256("local-throwaway", this.key,
				TestTokens.claims(other.accountId(), this.sessionId, Role.RETAILER, other.organizationId()).build());
		refused(forged);
	}

	private JWTClaimsSet claims(UnaryOperator<JWTClaimsSet.Builder> change) {
		return change
			.apply(TestTokens.claims(this.vendor.accountId(), this.sessionId, Role.VENDOR,
					this.vendor.organizationId()))
			.build();
	}

	private static String rs256(String kid, RSAPrivateCrtKey key, JWTClaimsSet claims) {
		return TestTokens.rs256(kid, key, claims);
	}

	private void logOut() {
		this.http.post()
			.uri("/api/v1/auth/logout")
			.headers(this.vendor::bearer)
			.exchange()
			.expectStatus()
			.isNoContent();
	}

	private void refused(String token) {
		me(token).expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("invalid_token");
	}

	private WebTestClient.ResponseSpec me(String token) {
		return this.http.get().uri("/api/v1/me").headers((headers) -> headers.setBearerAuth(token)).exchange();
	}

}
