package com.aqad.marketplace.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.channel.DefaultEventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

import com.aqad.marketplace.platform.web.RequestDeadline.Deadline;
import com.aqad.marketplace.platform.web.RequestDeadline.LoopDeadlines;

import org.springframework.mock.http.server.reactive.MockServerHttpResponse;

/**
 * The request deadline's timers, kept per event loop: due ones fire, answered ones let go
 * of their request at the next check, and none fires once the answer has started.
 */
class LoopDeadlinesTests {

	private final DefaultEventLoop loop = new DefaultEventLoop();

	private final LoopDeadlines deadlines = new LoopDeadlines(this.loop);

	@AfterEach
	void stopLoop() {
		this.loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
	}

	@Test
	void aDeadlineFiresWhenDueWhileTheAnswerHasNotStarted() {
		long start = System.nanoTime();
		Deadline deadline = new Deadline(this.deadlines, start + Duration.ofMillis(300).toNanos(),
				new MockServerHttpResponse());

		StepVerifier.create(deadline).expectNext(0L).expectComplete().verify(Duration.ofSeconds(5));

		long took = System.nanoTime() - start;
		assertThat(Duration.ofNanos(took)).isGreaterThanOrEqualTo(Duration.ofMillis(300))
			// checked every 100 ms
			.isLessThan(Duration.ofMillis(300 + 100 + 400));
	}

	@Test
	void aDeadlineDoesNotFireOnceTheAnswerHasStarted() {
		MockServerHttpResponse response = new MockServerHttpResponse();
		response.setComplete().block(Duration.ofSeconds(1));
		Deadline deadline = new Deadline(this.deadlines, System.nanoTime() + Duration.ofMillis(100).toNanos(),
				response);

		StepVerifier.create(deadline).expectSubscription().expectNoEvent(Duration.ofMillis(600)).thenCancel().verify();
	}

	@Test
	void answeredRequestsLeaveTheQueueAtTheNextCheckNotWhenTheirDeadlineWouldBeDue() throws Exception {
		List<Disposable> requests = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			requests.add(new Deadline(this.deadlines, System.nanoTime() + Duration.ofHours(1).toNanos(),
					new MockServerHttpResponse())
				.subscribe());
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> pending() == 1000);

		requests.forEach(Disposable::dispose);

		await().atMost(Duration.ofSeconds(2)).until(() -> pending() == 0);
	}

	private int pending() throws Exception {
		return this.loop.submit(this.deadlines::pending).get(5, TimeUnit.SECONDS);
	}

}
