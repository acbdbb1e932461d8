package com.aqad.marketplace.ratelimit;

import java.util.List;

import reactor.core.publisher.Mono;

import com.aqad.marketplace.platform.web.ApiException;
import com.aqad.marketplace.platform.web.ConnectionLoop;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;

/**
 * Lets a request through when its buckets have the tokens, with the rate-limit headers,
 * or refuses it with 429 {@code rate_limited}, raised for the problem-details handler.
 * Tokens of a response whose status the policy declares free (a 304) are given back.
 */
final class RequestLimits {

	private final Limits limits;

	RequestLimits(Limits limits) {
		this.limits = limits;
	}

	Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain, List<Charge> charges) {
		if (charges.isEmpty()) {
			return chain.filter(exchange);
		}
		return ConnectionLoop.backTo(exchange, this.limits.take(charges, ConnectionLoop.of(exchange)))
			.flatMap((verdict) -> {
				RateLimitHeaders.write(exchange.getResponse(), verdict);
				return verdict.refusal()
					.map((refusal) -> Mono.<Void>error(refused(refusal, verdict.retryAfterSeconds())))
					.orElseGet(() -> chain.filter(exchange).doOnSuccess((done) -> giveBackIfFree(exchange, verdict)));
			});
	}

	private void giveBackIfFree(ServerWebExchange exchange, Verdict verdict) {
		HttpStatusCode status = exchange.getResponse().getStatusCode();
		if (status == null || verdict.local() || !freesAny(verdict, status.value())) {
			return;
		}
		List<Charge> free = verdict.granted()
			.stream()
			.filter((charge) -> charge.policy().isFree(status.value()))
			.toList();
		if (!free.isEmpty()) {
			this.limits.giveBack(free);
		}
	}

	/**
	 * whether a policy asked declares the status free (checked before any list is made)
	 */
	private static boolean freesAny(Verdict verdict, int status) {
		for (Take take : verdict.takes()) {
			if (take.charge().policy().isFree(status)) {
				return true;
			}
		}
		return false;
	}

	private static ApiException refused(Take refusal, long retryAfterSeconds) {
		return new ApiException(HttpStatus.TOO_MANY_REQUESTS, "rate_limited",
				"Too many requests under rate limit policy '%s' (bucket %s); retry in %d s."
					.formatted(refusal.charge().policy().name(), refusal.bucket().name(), retryAfterSeconds))
			.withHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
	}

}
