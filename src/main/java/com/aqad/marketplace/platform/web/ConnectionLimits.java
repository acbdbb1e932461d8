package com.aqad.marketplace.platform.web;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;

/**
 * What a connection, and one client, may hold: keep-alive connections idle for
 * {@code idle-timeout} are closed, and beyond {@code max-connections} in total or
 * {@code max-connections-per-address} from one address new connections are closed at
 * once, so that idle or slow clients cannot use up the process's file descriptors and
 * lock everyone else out. Counted in {@code aqad.web.connections.refused{reason}} (gauge
 * {@code aqad.web.connections.open}); refusals are logged at most once per ten seconds.
 */
@Component
class ConnectionLimits implements NettyServerCustomizer {

	private static final Logger log = LoggerFactory.getLogger(ConnectionLimits.class);

	private static final long LOG_EVERY_NANOS = 10_000_000_000L;

	private final WebProperties.Connections limits;

	private final AtomicInteger open = new AtomicInteger();

	private final Map<InetAddress, Integer> byAddress = new ConcurrentHashMap<>();

	private final Counter refusedInTotal;

	private final Counter refusedForAddress;

	private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

	ConnectionLimits(WebProperties properties, MeterRegistry meters) {
		this.limits = properties.connections();
		Gauge.builder("aqad.web.connections.open", this.open, AtomicInteger::get)
			.description("Connections this instance holds")
			.register(meters);
		this.refusedInTotal = refused(meters, "total");
		this.refusedForAddress = refused(meters, "address");
	}

	private static Counter refused(MeterRegistry meters, String reason) {
		return Counter.builder("aqad.web.connections.refused")
			.description("Connections closed at once because a connection limit was reached")
			.tag("reason", reason)
			.register(meters);
	}

	@Override
	public HttpServer apply(HttpServer server) {
		// No readTimeout/requestTimeout: with them Reactor Netty 1.3.8 kept each request
		// answered at once alive until its timeout task fired (213,000 retained requests
		// after 20 s at 10,000 req/s, full GCs of a second; RequestRetentionTests).
		// RequestDeadline bounds slow bodies instead.
		return server.idleTimeout(this.limits.idleTimeout())
			// the callback's address is the client's remote one; a server's peer is the
			// channel's
			.doOnChannelInit((observer, channel, ignored) -> admit(channel, channel.remoteAddress()));
	}

	private void admit(Channel channel, SocketAddress remote) {
		if (this.open.incrementAndGet() > this.limits.maxConnections()) {
			this.open.decrementAndGet();
			refuse(channel, this.refusedInTotal, "this instance holds " + this.limits.maxConnections());
			return;
		}
		InetAddress address = (remote instanceof InetSocketAddress inet) ? inet.getAddress() : null;
		if (address != null
				&& this.byAddress.merge(address, 1, Integer::sum) > this.limits.maxConnectionsPerAddress()) {
			release(address);
			this.open.decrementAndGet();
			refuse(channel, this.refusedForAddress,
					address.getHostAddress() + " holds " + this.limits.maxConnectionsPerAddress());
			return;
		}
		channel.closeFuture().addListener((closed) -> {
			this.open.decrementAndGet();
			if (address != null) {
				release(address);
			}
		});
	}

	private void release(InetAddress address) {
		this.byAddress.compute(address, (key, count) -> (count == null || count <= 1) ? null : count - 1);
	}

	private void refuse(Channel channel, Counter counter, String why) {
		counter.increment();
		channel.close();
		long now = System.nanoTime();
		long last = this.lastLogged.get();
		if (now - last >= LOG_EVERY_NANOS && this.lastLogged.compareAndSet(last, now)) {
			log.warn("Connection limit reached ({}): closing new connections; refused so far: {}", why,
					(long) (this.refusedInTotal.count() + this.refusedForAddress.count()));
		}
	}

}
