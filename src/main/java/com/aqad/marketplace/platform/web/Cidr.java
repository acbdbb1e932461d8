package com.aqad.marketplace.platform.web;

import java.util.Arrays;

import io.netty.util.NetUtil;

/**
 * A block of addresses ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, or one address): the
 * trusted proxies, whose forwarding headers the rate limiter (client address) and the
 * security headers (HTTPS at the proxy) believe.
 *
 * @param network the block's first address
 * @param prefix its prefix length
 */
public record Cidr(byte[] network, int prefix) {

	public static Cidr parse(String text) {
		String[] parts = text.trim().split("/", 2);
		byte[] network = address(parts[0]);
		if (network == null) {
			throw new IllegalArgumentException("Trusted proxy '" + text + "' is not an address or CIDR block");
		}
		int prefix = (parts.length == 2) ? Integer.parseInt(parts[1]) : network.length * 8;
		if (prefix < 0 || prefix > network.length * 8) {
			throw new IllegalArgumentException("Trusted proxy '" + text + "' has an impossible prefix length");
		}
		return new Cidr(network, prefix);
	}

	public boolean contains(byte[] address) {
		if (address.length != this.network.length) {
			return false;
		}
		int full = this.prefix / 8;
		for (int i = 0; i < full; i++) {
			if (address[i] != this.network[i]) {
				return false;
			}
		}
		int rest = this.prefix % 8;
		if (rest == 0) {
			return true;
		}
		int mask = (0xff << (8 - rest)) & 0xff;
		return (address[full] & mask) == (this.network[full] & mask);
	}

	/**
	 * A literal address ({@code 203.0.113.9}, {@code 2001:db8::1}) as bytes, an IPv4
	 * address written as IPv6 as the IPv4 one; {@code null} when it is not a literal
	 * address (no DNS lookup, whatever the text).
	 */
	public static byte[] address(String literal) {
		byte[] address = NetUtil.createByteArrayFromIpAddressString(literal.trim());
		return (address != null) ? unmapped(address) : null;
	}

	/** an IPv4 address written as IPv6 ({@code ::ffff:192.0.2.1}) as the IPv4 address */
	public static byte[] unmapped(byte[] address) {
		return (address.length == 16 && isMappedIpv4(address)) ? Arrays.copyOfRange(address, 12, 16) : address;
	}

	private static boolean isMappedIpv4(byte[] address) {
		for (int i = 0; i < 10; i++) {
			if (address[i] != 0) {
				return false;
			}
		}
		return address[10] == (byte) 0xff && address[11] == (byte) 0xff;
	}

}
