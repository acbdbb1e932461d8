package com.aqad.marketplace.platform.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.aqad.marketplace.platform.devservices.ApiTest;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One client cannot hold more than its share of connections, and idle connections do not
 * stay open forever.
 */
@ApiTest(properties = { "management.server.port=0", "aqad.web.connections.idle-timeout=5s",
		"aqad.web.connections.max-connections-per-address=8", "aqad.web.connections.header-timeout=1s" })
class ConnectionLimitsTests {

	@LocalServerPort
	private int port;

	/**
	 * A client that trickles one header line every 200 ms (each one resetting any idle
	 * timer) is answered 408 and disconnected once its headers took the header timeout.
	 */
	@Test
	void slowHeadersAreCutOffAtTheHeaderTimeout() throws IOException {
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout(200);
			OutputStream out = socket.getOutputStream();
			out.write("GET /api/v1/categories HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
			long started = System.nanoTime();
			String answer = "";
			while (answer.isEmpty() && System.nanoTime() - started < Duration.ofSeconds(5).toNanos()) {
				try {
					byte[] buffer = new byte[4096];
					int read = socket.getInputStream().read(buffer);
					answer = (read > 0) ? new String(buffer, 0, read, StandardCharsets.US_ASCII) : "closed";
				}
				catch (java.net.SocketTimeoutException stillWaiting) {
					out.write("X-Slow: 1\r\n".getBytes(StandardCharsets.US_ASCII));
				}
			}
			long took = System.nanoTime() - started;
			assertThat(answer).startsWith("HTTP/1.1 408").contains("application/problem+json");
			assertThat(Duration.ofNanos(took)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(3));
		}
	}

	@Test
	void oneAddressHoldsAtMostItsShareAndIdleConnectionsAreClosed() throws IOException {
		List<Socket> sockets = new ArrayList<>();
		try {
			int admitted = 0;
			int refused = 0;
			for (int i = 0; i < 12; i++) {
				Socket socket = new Socket("localhost", this.port);
				sockets.add(socket);
				if (isOpen(socket)) {
					admitted++;
				}
				else {
					refused++;
				}
			}
			assertThat(admitted).as("connections held by one address").isEqualTo(8);
			assertThat(refused).isEqualTo(4);

			// nobody sends anything: the server closes them after the idle timeout
			for (Socket socket : sockets) {
				await().atMost(Duration.ofSeconds(10)).until(() -> !isOpen(socket));
			}
			// and the address may connect again
			WebTestClient.bindToServer()
				.baseUrl("http://localhost:" + this.port)
				.build()
				.get()
				.uri("/api/v1/categories")
				.exchange()
				.expectStatus()
				.isOk();
		}
		finally {
			for (Socket socket : sockets) {
				socket.close();
			}
		}
	}

	/**
	 * Open when a read waits (times out) rather than meeting the end of the stream.
	 */
	private static boolean isOpen(Socket socket) throws IOException {
		socket.setSoTimeout(100);
		try {
			return socket.getInputStream().read() != -1;
		}
		catch (SocketTimeoutException waited) {
			return true;
		}
		catch (IOException reset) {
			return false;
		}
	}

}
