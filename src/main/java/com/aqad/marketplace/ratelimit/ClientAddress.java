package com.aqad.marketplace.ratelimit;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.netty.util.NetUtil;

import com.aqad.marketplace.platform.web.Cidr;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The address a request comes from: the socket's peer, unless that peer is a trusted
 * proxy, in which case the forwarding headers are walked from the right, past every
 * trusted proxy, to the first address no trusted proxy vouches for. An IPv6 client is
 * counted by its /64, the block one subscriber usually holds.
 * <p>
 * Only literal addresses are parsed (Netty's parser): nothing a client sends can trigger
 * a DNS lookup.
 */
final class ClientAddress {

	private static final String X_FORWARDED_FOR = "X-Forwarded-For";

	private static final String FORWARDED = "Forwarded";

	private static final int MAX_HOPS = 20;

	private final List<Cidr> trustedProxies;

	ClientAddress(List<String> trustedProxies) {
		this.trustedProxies = trustedProxies.stream().map(Cidr::parse).toList();
	}

	/**
	 * The client's address ({@code 203.0.113.9}, {@code 2001:db8:1:2::/64}), or
	 * {@code unknown} when the server does not know its peer.
	 */
	String of(ServerHttpRequest request) {
		InetSocketAddress remote = request.getRemoteAddress();
		if (remote == null || remote.getAddress() == null) {
			return "unknown";
		}
		byte[] client = Cidr.unmapped(remote.getAddress().getAddress());
		if (!trusted(client)) {
			return format(client);
		}
		List<String> hops = forwardedFor(request.getHeaders());
		for (int i = hops.size() - 1; i >= 0 && i >= hops.size() - MAX_HOPS; i--) {
			byte[] hop = Cidr.address(hops.get(i));
			if (hop == null) {
				break;
			}
			client = hop;
			if (!trusted(hop)) {
				break;
			}
		}
		return format(client);
	}

	private boolean trusted(byte[] address) {
		for (Cidr cidr : this.trustedProxies) {
			if (cidr.contains(address)) {
				return true;
			}
		}
		return false;
	}

	private static List<String> forwardedFor(HttpHeaders headers) {
		List<String> hops = new ArrayList<>();
		List<String> xForwardedFor = headers.get(X_FORWARDED_FOR);
		if (xForwardedFor != null) {
			for (String value : xForwardedFor) {
				for (String hop : value.split(",")) {
					hops.add(hop.trim());
				}
			}
			return hops;
		}
		List<String> forwarded = headers.get(FORWARDED);
		if (forwarded != null) {
			for (String value : forwarded) {
				for (String element : value.split(",")) {
					hops.add(forValue(element));
				}
			}
		}
		return hops;
	}

	/**
	 * the node of an RFC 7239 {@code for=} parameter, without quotes, brackets or port
	 */
	private static String forValue(String element) {
		for (String pair : element.split(";")) {
			String trimmed = pair.trim();
			if (trimmed.toLowerCase(Locale.ROOT).startsWith("for=")) {
				String node = trimmed.substring(4).replace("\"", "");
				if (node.startsWith("[")) {
					int end = node.indexOf(']');
					return (end > 0) ? node.substring(1, end) : "";
				}
				int colon = node.indexOf(':');
				return (colon > 0 && node.indexOf(':', colon + 1) < 0) ? node.substring(0, colon) : node;
			}
		}
		return "";
	}

	private static String format(byte[] address) {
		if (address.length == 4) {
			return NetUtil.bytesToIpAddress(address);
		}
		byte[] block = Arrays.copyOf(address, 16);
		Arrays.fill(block, 8, 16, (byte) 0);
		return NetUtil.bytesToIpAddress(block) + "/64";
	}

	/**
	 * An address block: {@code 10.0.0.0/8}, {@code 2001:db8::/32}, or one address.
	 */

}
