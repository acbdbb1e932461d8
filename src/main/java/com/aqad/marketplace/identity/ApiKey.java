package com.aqad.marketplace.identity;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An API key as its owner sees it: the secret itself ({@code key}) only in the answer
 * that created it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ApiKey(UUID id, String name, String prefix, List<String> scopes, Instant createdAt, String key) {

	ApiKey(UUID id, String name, String prefix, Set<Scope> scopes, Instant createdAt) {
		this(id, name, prefix, scopes.stream().map(Scope::value).sorted().toList(), createdAt, null);
	}

	ApiKey withKey(String key) {
		return new ApiKey(this.id, this.name, this.prefix, this.scopes, this.createdAt, key);
	}

	@Override
	public String toString() {
		return "ApiKey[id=" + this.id + "]";
	}

}
