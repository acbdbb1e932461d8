package com.aqad.marketplace.platform.outbox;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.aqad.marketplace.platform.web.ApiException;

import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * Where an event sits in its outbox: the writing transaction, then the row's sequence
 * number. Ids only increase in the order readers see events; on the wire
 * {@code <tx>-<seq>}, the SSE {@code id} that comes back as {@code Last-Event-ID}.
 */
public record EventId(long tx, long seq) implements Comparable<EventId> {

	/**
	 * Before every event.
	 */
	public static final EventId START = new EventId(0, 0);

	private static final Pattern WIRE = Pattern.compile("([0-9]{1,18})-([0-9]{1,18})");

	/**
	 * The id a client sent back; 400 when it is not one of ours.
	 */
	public static EventId parse(String value) {
		Matcher matcher = WIRE.matcher(value.strip());
		if (!matcher.matches()) {
			throw ApiException.invalid("Last-Event-ID", "must be an event id this stream sent");
		}
		return new EventId(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)));
	}

	/**
	 * The request's {@code Last-Event-ID}: where its reader resumes; {@code null} when it
	 * starts from now.
	 */
	public static EventId lastEventId(ServerRequest request) {
		String value = request.headers().firstHeader("Last-Event-ID");
		return (value != null) ? parse(value) : null;
	}

	public boolean isAfter(EventId other) {
		return compareTo(other) > 0;
	}

	@Override
	public int compareTo(EventId other) {
		int byTx = Long.compare(this.tx, other.tx);
		return (byTx != 0) ? byTx : Long.compare(this.seq, other.seq);
	}

	@Override
	public String toString() {
		return this.tx + "-" + this.seq;
	}

}
