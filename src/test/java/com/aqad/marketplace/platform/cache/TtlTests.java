package com.aqad.marketplace.platform.cache;

import java.time.Duration;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TtlTests {

	@Test
	void ttlsSpreadWithinTheJitterAroundTheBase() {
		Ttl ttl = new Ttl(Duration.ofSeconds(100), 0.1);
		long[] samples = LongStream.range(0, 2_000).map((n) -> ttl.nextMillis()).toArray();
		assertThat(LongStream.of(samples).min().orElseThrow()).isGreaterThanOrEqualTo(90_000L);
		assertThat(LongStream.of(samples).max().orElseThrow()).isLessThanOrEqualTo(110_000L);
		assertThat(LongStream.of(samples).distinct().count()).as("entries written together expire apart")
			.isGreaterThan(1_000);
	}

	@Test
	void noJitterMeansTheBase() {
		assertThat(new Ttl(Duration.ofSeconds(3), 0).nextMillis()).isEqualTo(3_000);
	}

	@Test
	void refusesNonsense() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Ttl(Duration.ZERO, 0.1));
		assertThatIllegalArgumentException().isThrownBy(() -> new Ttl(Duration.ofSeconds(1), 1.5));
	}

}
