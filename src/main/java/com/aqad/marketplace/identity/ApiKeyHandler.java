package com.aqad.marketplace.identity;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import reactor.core.publisher.Mono;

import com.aqad.marketplace.platform.web.ApiException;
import com.aqad.marketplace.platform.web.Page;
import com.aqad.marketplace.platform.web.Validation;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The caller's API keys.
 */
@Component
class ApiKeyHandler {

	private final ApiKeyService keys;

	ApiKeyHandler(ApiKeyService keys) {
		this.keys = keys;
	}

	record NewKey(String name, List<String> scopes) {
	}

	Mono<ServerResponse> create(ServerRequest request) {
		return request.bodyToMono(NewKey.class).switchIfEmpty(Mono.error(ApiException::missingBody)).flatMap((body) -> {
			Validation validation = new Validation().required(body.name(), "name")
				.text(body.name(), "name", 1, 100, false)
				.required(body.scopes(), "scopes")
				.check(body.scopes() == null || !body.scopes().isEmpty(), "scopes", "name at least one scope");
			Set<Scope> scopes = EnumSet.noneOf(Scope.class);
			if (body.scopes() != null) {
				for (int i = 0; i < body.scopes().size(); i++) {
					String value = body.scopes().get(i);
					var scope = Scope.of(value);
					validation.check(scope.isPresent(), "scopes[" + i + "]",
							"must be one of catalog:read, feed:read, orders:read, orders:write");
					validation.check(scope.isEmpty() || scopes.add(scope.get()), "scopes[" + i + "]", "is repeated");
				}
			}
			validation.verify();
			return AuthHandler.caller().flatMap((caller) -> this.keys.create(caller, body.name().strip(), scopes));
		})
			.flatMap((key) -> ServerResponse
				.created(UriComponentsBuilder.fromPath("/api/v1/api-keys/{id}").buildAndExpand(key.id()).toUri())
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(key));
	}

	Mono<ServerResponse> list(ServerRequest request) {
		return AuthHandler.caller()
			.flatMap((caller) -> this.keys.list(caller).collectList())
			.flatMap((all) -> ServerResponse.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(new Page<>(all, null)));
	}

	Mono<ServerResponse> revoke(ServerRequest request) {
		UUID id = AccountHandler.uuid(request.pathVariable("id"), "There is no such API key.");
		return AuthHandler.caller()
			.flatMap((caller) -> this.keys.revoke(caller, id))
			.then(ServerResponse.noContent().build());
	}

}
