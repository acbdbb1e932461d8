package com.aqad.marketplace.platform.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.aqad.marketplace.identity.Role;
import com.aqad.marketplace.identity.TestAccounts;
import com.aqad.marketplace.identity.TestAccounts.SignedIn;
import com.aqad.marketplace.platform.devservices.ApiTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.boot.webflux.actuate.endpoint.web.AdditionalHealthEndpointPathsWebFluxHandlerMapping;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.web.reactive.DispatcherHandler;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.function.server.support.RouterFunctionMapping;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebHandler;
import org.springframework.web.server.adapter.HttpWebHandlerAdapter;
import org.springframework.web.server.handler.FilteringWebHandler;
import org.springframework.web.server.handler.WebHandlerDecorator;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every response of the API shares: problem details, request ids, security headers,
 * strict JSON and body limits.
 */
@ApiTest
@Import(EchoRoutes.class)
@ExtendWith(OutputCaptureExtension.class)
class WebPlumbingTests {

	@Autowired
	private WebTestClient http;

	@Autowired
	private ApplicationContext context;

	/**
	 * Every API request asks the handler mappings in order: the routes come first, not
	 * the (empty) mapping Spring Boot adds for health paths on the API's port.
	 */
	@Test
	void theApiRoutesAreAskedFirst() {
		List<HandlerMapping> mappings = this.context.getBean(DispatcherHandler.class).getHandlerMappings();

		assertThat(mappings).isNotNull().first().isInstanceOf(RouterFunctionMapping.class);
		assertThat(mappings).anySatisfy((mapping) -> assertThat(mapping)
			.isInstanceOf(AdditionalHealthEndpointPathsWebFluxHandlerMapping.class));
	}

	@Test
	void unknownRoutesAreProblemDetails404WithTheRequestId() {
		WebTestClient.ResponseSpec response = this.http.get().uri("/api/v1/nothing-here").exchange();
		String requestId = response.returnResult(String.class).getResponseHeaders().getFirst("X-Request-Id");
		assertThat(requestId).isNotBlank();
		response.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("urn:aqad:problem:not_found")
			.jsonPath("$.title")
			.isEqualTo("Not Found")
			.jsonPath("$.status")
			.isEqualTo(404)
			.jsonPath("$.detail")
			.isNotEmpty()
			.jsonPath("$.instance")
			.isEqualTo("/api/v1/nothing-here")
			.jsonPath("$.code")
			.isEqualTo("not_found")
			.jsonPath("$.requestId")
			.isEqualTo(requestId);
	}

	@Test
	void aSaneRequestIdIsEchoedAndAnInsaneOneReplaced() {
		this.http.get()
			.uri("/api/v1/categories")
			.header("X-Request-Id", "client-42.retry_1")
			.exchange()
			.expectHeader()
			.valueEquals("X-Request-Id", "client-42.retry_1");
		for (String insane : new String[] { "x".repeat(65), "has space", "semi;colon", "" }) {
			String given = this.http.get()
				.uri("/api/v1/categories")
				.header("X-Request-Id", insane)
				.exchange()
				.returnResult(String.class)
				.getResponseHeaders()
				.getFirst("X-Request-Id");
			assertThat(given).isNotEqualTo(insane).matches("[0-9a-f-]{36}");
		}
	}

	@Test
	void everyResponseCarriesTheSecurityHeaders() {
		for (String path : new String[] { "/api/v1/categories", "/api/v1/nothing-here" }) {
			this.http.get()
				.uri(path)
				.exchange()
				.expectHeader()
				.valueEquals("X-Content-Type-Options", "nosniff")
				.expectHeader()
				.valueEquals("X-Frame-Options", "DENY")
				.expectHeader()
				.valueEquals("Referrer-Policy", "no-referrer")
				.expectHeader()
				.value("Content-Security-Policy", (csp) -> assertThat(csp).contains("default-src 'none'"));
		}
		this.http.get()
			.uri("/api/v1/nothing-here")
			.exchange()
			.expectHeader()
			.value(HttpHeaders.CACHE_CONTROL, (value) -> assertThat(value).contains("no-store"));
		// no proxy is trusted here: a client's word that it came over HTTPS earns no HSTS
		this.http.get()
			.uri("/api/v1/categories")
			.header("X-Forwarded-Proto", "https")
			.exchange()
			.expectHeader()
			.doesNotExist("Strict-Transport-Security");
	}

	@Test
	void aRouteNoAccessTableNamesIsRefused() {
		this.http.get()
			.uri("/test/undeclared")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("unauthenticated");
	}

	@Test
	void aWrongMethodIs405WithAllow() {
		this.http.put()
			.uri("/api/v1/products/{id}", UUID.randomUUID())
			.exchange()
			.expectStatus()
			.isEqualTo(405)
			.expectHeader()
			.valueEquals(HttpHeaders.ALLOW, "GET,PATCH,DELETE,HEAD")
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("method_not_allowed");
	}

	@Test
	void anUnservableAcceptIs406() {
		this.http.get()
			.uri("/api/v1/categories")
			.accept(MediaType.APPLICATION_XML)
			.exchange()
			.expectStatus()
			.isEqualTo(406)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("not_acceptable");
	}

	@Test
	void aBodyOfTheWrongMediaTypeIs415() {
		this.http.post()
			.uri("/test/echo")
			.contentType(MediaType.TEXT_PLAIN)
			.bodyValue("note=hi")
			.exchange()
			.expectStatus()
			.isEqualTo(415)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("unsupported_media_type");
	}

	@Test
	void strictJsonAcceptsTheExactShape() {
		echo("{\"note\":\"hi\",\"quantity\":3,\"tags\":[\"a\"]}").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.quantity")
			.isEqualTo(3);
	}

	@Test
	void unknownFieldsAndWrongTypesAre400NamingTheField() {
		echo("{\"note\":\"hi\",\"quantity\":3,\"price\":1}").expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("validation_failed")
			.jsonPath("$.errors[0].field")
			.isEqualTo("price");
		for (String wrong : new String[] { "{\"quantity\":\"3\"}", "{\"quantity\":3.5}", "{\"quantity\":true}",
				"{\"tags\":[1]}" }) {
			echo(wrong).expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("validation_failed");
		}
	}

	@Test
	void malformedJsonIs400() {
		for (String malformed : new String[] { "{\"note\":", "{\"note\":\"a\"} {}", "[]" }) {
			echo(malformed).expectStatus()
				.isBadRequest()
				.expectBody()
				.jsonPath("$.code")
				.value((String code) -> assertThat(code).isIn("malformed_request", "validation_failed"));
		}
	}

	@Test
	void bodiesOverOneMebibyteAre413() {
		String huge = "{\"note\":\"" + "x".repeat(1024 * 1024) + "\"}";
		echo(huge).expectStatus().isEqualTo(413).expectBody().jsonPath("$.code").isEqualTo("payload_too_large");
	}

	@Test
	void failuresNeverLeakInternalsButCarryTheRequestId(CapturedOutput output) {
		this.http.get()
			.uri("/test/explode")
			.header("X-Request-Id", "boom-1")
			.exchange()
			.expectStatus()
			.isEqualTo(500)
			.expectBody(String.class)
			.value((body) -> assertThat(body).contains("\"code\":\"internal_error\"")
				.contains("\"requestId\":\"boom-1\"")
				.doesNotContain("secret", "credentials", "db.internal", "IllegalStateException", "at com."));
		assertThat(output).contains("boom-1").contains("IllegalStateException");
	}

	@Test
	void logLinesOfARequestCarryItsId(CapturedOutput output) {
		echo("{\"quantity\":7}", "order-7").expectStatus().isOk();
		assertThat(output.getAll().lines().filter((line) -> line.contains("echoing an order of 7"))).singleElement()
			.asString()
			.contains("[order-7]");
	}

	@Test
	void logLinesOfABearerRequestCarryItsIdAndItsCallerSeesTheSecurityContext(CapturedOutput output) {
		SignedIn retailer = new TestAccounts(this.http).register(Role.RETAILER);
		// the first use verifies the token; the second finds it remembered: both write
		// the
		// security context below the chain, and the handler logs after the limiter's
		// reply
		for (String requestId : List.of("bearer-first", "bearer-remembered")) {
			this.http.post()
				.uri("/test/echo")
				.headers(retailer::bearer)
				.contentType(MediaType.APPLICATION_JSON)
				.header("X-Request-Id", requestId)
				.bodyValue("{\"quantity\":11}")
				.exchange()
				.expectStatus()
				.isOk();
			assertThat(output.getAll().lines().filter((line) -> line.contains("[" + requestId + "]")))
				.as("log lines of " + requestId)
				.anySatisfy((line) -> assertThat(line).contains("echoing an order of 11 for " + retailer.accountId()));
		}
	}

	/**
	 * The application's HTTP server observations are recorded by {@link RequestTimers}
	 * (first among the meter handlers) into each kind's kept timer, not by Micrometer's
	 * handler, which would look the timer up again on every request.
	 */
	@Test
	void eachKindOfRequestIsTimedByTheTimerItKeeps() {
		for (int i = 0; i < 2; i++) {
			this.http.get().uri("/api/v1/categories").exchange().expectStatus().isOk();
		}
		RequestObservations observations = this.context.getBean(RequestObservations.class);
		MeterRegistry meters = this.context.getBean(MeterRegistry.class);
		Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			RequestObservations.Tagged kind = observations.kept("GET", "/api/v1/categories", "200", "SUCCESS", "none");
			assertThat(kind).as("the kept kind").isNotNull();
			Timer registered = meters.find("http.server.requests")
				.tags("method", "GET", "uri", "/api/v1/categories", "status", "200", "error", "none")
				.timer();
			assertThat(registered).isNotNull().isSameAs(kind.timer());
			assertThat(registered.count()).isGreaterThanOrEqualTo(2);
		});
	}

	@Test
	void everyAnswerVariesByOriginForSharedCaches() {
		// anonymous catalog reads are public in shared caches: one origin's answer must
		// not be handed to another
		assertThat(this.http.get()
			.uri("/api/v1/categories")
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseHeaders()
			.getVary()).containsExactly("Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers");
	}

	@Test
	void theContextAnchorIsTheInnermostFilter() {
		List<WebFilter> filters = new ArrayList<>();
		WebHttpHandlerBuilder.applicationContext(this.context).filters(filters::addAll);
		assertThat(filters).last().isInstanceOf(ContextAnchor.class);
		assertThat(filters).filteredOn(ContextAnchor.class::isInstance).hasSize(1);
	}

	@Test
	void theServedHandlerRunsTheFiltersAsOneSequence() {
		WebHandler handler = ((HttpWebHandlerAdapter) this.context.getBean(HttpHandler.class)).getDelegate();
		while (!(handler instanceof FilteringWebHandler) && handler instanceof WebHandlerDecorator decorator) {
			handler = decorator.getDelegate();
		}
		assertThat(((FilteringWebHandler) handler).getFilters()).singleElement()
			.isInstanceOfSatisfying(FilterSequence.Sequence.class,
					(sequence) -> assertThat(sequence.filters()).last().isInstanceOf(ContextAnchor.class));
	}

	private WebTestClient.ResponseSpec echo(String json) {
		return echo(json, "echo");
	}

	private WebTestClient.ResponseSpec echo(String json, String requestId) {
		return this.http.post()
			.uri("/test/echo")
			.contentType(MediaType.APPLICATION_JSON)
			.header("X-Request-Id", requestId)
			.bodyValue(json)
			.exchange();
	}

}
