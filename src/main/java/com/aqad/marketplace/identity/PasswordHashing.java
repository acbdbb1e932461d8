package com.aqad.marketplace.identity;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.reactor.ratelimiter.operator.RateLimiterOperator;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import com.aqad.marketplace.platform.web.ApiException;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Argon2id password hashing (16 MiB, 2 passes) on a few threads of its own: never on an
 * event loop, and never on more threads than leave the other requests their share of the
 * CPU. A per-instance budget of hashes per second (Resilience4j) bounds the CPU a login
 * flood can take from every other request; beyond it, and when more hashes wait than the
 * queue allows, callers get 503 with {@code Retry-After} at once rather than a growing
 * wait. (Per-IP and per-email login limits are the rate limiter's job.)
 */
@Component
class PasswordHashing implements DisposableBean {

	private final PasswordEncoder encoder = new DelegatingPasswordEncoder("argon2",
			Map.of("argon2", Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8()));

	private final Scheduler scheduler;

	private final RateLimiter budget;

	private final String unknownAccountHash;

	PasswordHashing(IdentityProperties properties) {
		this.scheduler = Schedulers.newBoundedElastic(properties.passwords().threads(),
				properties.passwords().queueLimit(), "password-hashing");
		this.budget = RateLimiter.of("password-hashing",
				RateLimiterConfig.custom()
					.limitForPeriod(properties.passwords().maxPerSecond())
					.limitRefreshPeriod(Duration.ofSeconds(1))
					.timeoutDuration(Duration.ZERO)
					.build());
		// what an unknown email is checked against, so that it costs what a known one
		// does
		// hashed once at start-up (not on an event loop, not from the budget)
		this.unknownAccountHash = this.encoder.encode("not a password of anyone");
	}

	/**
	 * Runs work that will hash one password (a login: look the account up, then check its
	 * password) only if the budget allows one more hash this second; otherwise fails at
	 * once, before any of the work is done.
	 */
	<T> Mono<T> withinBudget(Mono<T> work) {
		return work.transformDeferred(RateLimiterOperator.of(this.budget))
			.onErrorMap(RequestNotPermitted.class, (ex) -> busy());
	}

	/**
	 * A new hash, within the budget.
	 */
	Mono<String> hash(String password) {
		return withinBudget(offload(() -> this.encoder.encode(password)));
	}

	Mono<Boolean> matches(String password, String hash) {
		return offload(() -> this.encoder.matches(password, hash));
	}

	/**
	 * Spends the time a real check would, then answers no.
	 */
	Mono<Boolean> matchesNothing(String password) {
		return matches(password, this.unknownAccountHash).thenReturn(false);
	}

	private <T> Mono<T> offload(java.util.concurrent.Callable<T> work) {
		return Mono.fromCallable(work)
			.subscribeOn(this.scheduler)
			.onErrorMap(RejectedExecutionException.class, (ex) -> busy());
	}

	private static ApiException busy() {
		return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "busy",
				"Too many sign-ins are being checked right now; try again shortly.")
			.withHeader(HttpHeaders.RETRY_AFTER, "1");
	}

	@Override
	public void destroy() {
		this.scheduler.dispose();
	}

}
