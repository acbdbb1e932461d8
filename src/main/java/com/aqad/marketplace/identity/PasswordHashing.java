package com.aqad.marketplace.identity;

import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import com.aqad.marketplace.platform.web.ApiException;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Argon2id password hashing (16 MiB, 2 passes) on a few threads of its own: never on an
 * event loop, and never on more threads than leave the other requests their share of the
 * CPU. When more hashes wait than the queue allows, callers get 503 at once rather than a
 * growing wait.
 */
@Component
class PasswordHashing implements DisposableBean {

	private final PasswordEncoder encoder = new DelegatingPasswordEncoder("argon2",
			Map.of("argon2", Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8()));

	private final Scheduler scheduler;

	private final Mono<String> unknownAccountHash;

	PasswordHashing(IdentityProperties properties) {
		this.scheduler = Schedulers.newBoundedElastic(properties.passwords().threads(),
				properties.passwords().queueLimit(), "password-hashing");
		// what an unknown email is checked against, so that it costs what a known one
		// does
		this.unknownAccountHash = hash("not a password of anyone").cache();
	}

	Mono<String> hash(String password) {
		return offload(() -> this.encoder.encode(password));
	}

	Mono<Boolean> matches(String password, String hash) {
		return offload(() -> this.encoder.matches(password, hash));
	}

	/**
	 * Spends the time a real check would, then answers no.
	 */
	Mono<Boolean> matchesNothing(String password) {
		return this.unknownAccountHash.flatMap((hash) -> matches(password, hash)).thenReturn(false);
	}

	private <T> Mono<T> offload(java.util.concurrent.Callable<T> work) {
		return Mono.fromCallable(work)
			.subscribeOn(this.scheduler)
			.onErrorMap(RejectedExecutionException.class, (ex) -> new ApiException(HttpStatus.SERVICE_UNAVAILABLE,
					"busy", "Too many sign-ins are being checked right now; try again shortly."));
	}

	@Override
	public void destroy() {
		this.scheduler.dispose();
	}

}
