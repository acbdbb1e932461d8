package com.aqad.marketplace.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

class ClientAddressTests {

	private final ClientAddress behindProxy = new ClientAddress(List.of("10.0.0.0/8", "2001:db8:ffff::/48"));

	private final ClientAddress direct = new ClientAddress(List.of());

	@Test
	void aSpoofedForwardedForFromAnUntrustedPeerIsIgnored() {
		var request = from("203.0.113.7").header("X-Forwarded-For", "198.51.100.1").build();

		assertThat(this.behindProxy.of(request)).isEqualTo("203.0.113.7");
		assertThat(this.direct.of(request)).isEqualTo("203.0.113.7");
	}

	@Test
	void behindTrustedProxiesTheFirstAddressNoTrustedProxyVouchesForCounts() {
		var request = from("10.0.0.2").header("X-Forwarded-For", "1.1.1.1, 198.51.100.9, 10.0.0.1").build();

		assertThat(this.behindProxy.of(request)).as("the client's own claim (1.1.1.1) is not believed")
			.isEqualTo("198.51.100.9");
	}

	@Test
	void theStandardForwardedHeaderIsReadToo() {
		var request = from("10.0.0.2")
			.header("Forwarded", "for=198.51.100.9;proto=https, for=\"[2001:db8:ffff::5]:443\"")
			.build();

		assertThat(this.behindProxy.of(request)).isEqualTo("198.51.100.9");
	}

	@Test
	void garbageOrHostNamesInTheHeaderStopTheWalkAndAreNeverLookedUp() {
		var request = from("10.0.0.2").header("X-Forwarded-For", "203.0.113.5, example.com").build();

		assertThat(this.behindProxy.of(request)).isEqualTo("10.0.0.2");
	}

	@Test
	void anIpv6ClientIsCountedByItsSlashSixtyFour() {
		assertThat(this.direct.of(from("2001:db8:1:2:aaaa::1").build())).isEqualTo("2001:db8:1:2::/64");
		assertThat(this.direct.of(from("2001:db8:1:2:bbbb::9").build())).isEqualTo("2001:db8:1:2::/64");
		assertThat(this.direct.of(from("::ffff:192.0.2.1").build())).isEqualTo("192.0.2.1");
	}

	@Test
	void aTrustedProxyThatIsNotAnAddressFailsAtStartUp() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ClientAddress(List.of("proxy.internal")));
		assertThatIllegalArgumentException().isThrownBy(() -> new ClientAddress(List.of("10.0.0.0/33")));
	}

	private static MockServerHttpRequest.BaseBuilder<?> from(String peer) {
		return MockServerHttpRequest.get("/api/v1/products").remoteAddress(new InetSocketAddress(peer, 40000));
	}

}
