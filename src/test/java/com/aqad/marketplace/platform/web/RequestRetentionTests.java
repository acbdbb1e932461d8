package com.aqad.marketplace.platform.web;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.ObjectName;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import com.aqad.marketplace.platform.devservices.ApiTest;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A finished request leaves nothing behind: no timer, handler or timeout task of the
 * server keeps it alive. (Reactor Netty's request timeout once did, for requests answered
 * at once, as long as the timeout: at load the heap filled and every benchmark run had a
 * full GC of a second. This test saw 3,000 of 3,000 retained then.)
 */
@ApiTest
class RequestRetentionTests {

	private static final int REQUESTS = 3_000;

	@LocalServerPort
	private int port;

	@Test
	void finishedRequestsAreNotRetained() throws Exception {
		// answered at once (no I/O), like a product served from memory
		WebClient client = WebClient.create("http://localhost:" + this.port);
		long answered = Flux.range(0, REQUESTS)
			.flatMap((i) -> client.get()
				.uri("/api/v1/nothing-here")
				.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode())), 32)
			.filter((status) -> status.value() == 404)
			.count()
			.block(Duration.ofSeconds(60));
		assertThat(answered).isEqualTo(REQUESTS);
		// a full GC, then the objects still reachable: requests still held by anything
		assertThat(liveInstances("reactor.netty.http.server.HttpServerOperations"))
			.as("server requests still reachable after %d finished ones", REQUESTS)
			.isLessThan(REQUESTS / 10);
	}

	private static long liveInstances(String className) throws Exception {
		String histogram = (String) ManagementFactory.getPlatformMBeanServer()
			.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
					new Object[] { new String[0] }, new String[] { String[].class.getName() });
		Matcher row = Pattern
			.compile("^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+" + Pattern.quote(className) + "\\s*$", Pattern.MULTILINE)
			.matcher(histogram);
		return row.find() ? Long.parseLong(row.group(1)) : 0;
	}

}
