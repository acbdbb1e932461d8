package com.aqad.marketplace.platform.web;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.ReactiveHttpOutputMessage;
import org.springframework.web.reactive.function.BodyInserter;

/**
 * Long bodies of many small records (NDJSON, SSE without ids), written a batch of records
 * per network write: one write per record would cost more than the record. Demand flows
 * from the socket back to the source, so a slow client slows the source.
 */
public final class StreamingBodies {

	private static final byte[] NEWLINE = { '\n' };

	private static final byte[] SSE_DATA = "data: ".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] SSE_END = "\n\n".getBytes(StandardCharsets.US_ASCII);

	private StreamingBodies() {
	}

	/**
	 * One JSON text per line.
	 */
	public static BodyInserter<Flux<String>, ReactiveHttpOutputMessage> ndjson(Flux<String> records, int perWrite) {
		return ndjson(records, perWrite, null);
	}

	/**
	 * One JSON text per line, each write waiting for its {@link Pace}.
	 */
	public static BodyInserter<Flux<String>, ReactiveHttpOutputMessage> ndjson(Flux<String> records, int perWrite,
			@Nullable Pace pace) {
		return body(records, perWrite, null, NEWLINE, pace);
	}

	/**
	 * One server-sent event of type {@code event} per JSON text.
	 */
	public static BodyInserter<Flux<String>, ReactiveHttpOutputMessage> events(Flux<String> records, String event,
			int perWrite, @Nullable Pace pace) {
		byte[] start = ("event: " + event + "\n").getBytes(StandardCharsets.US_ASCII);
		byte[] before = new byte[start.length + SSE_DATA.length];
		System.arraycopy(start, 0, before, 0, start.length);
		System.arraycopy(SSE_DATA, 0, before, start.length, SSE_DATA.length);
		return body(records, perWrite, before, SSE_END, pace);
	}

	private static BodyInserter<Flux<String>, ReactiveHttpOutputMessage> body(Flux<String> records, int perWrite,
			byte @Nullable [] before, byte[] after, @Nullable Pace pace) {
		return new BodyInserter<>() {

			@Override
			public Mono<Void> insert(ReactiveHttpOutputMessage message, Context context) {
				DataBufferFactory buffers = message.bufferFactory();
				Flux<List<String>> batches = records.buffer(perWrite);
				if (pace != null) {
					// waits between batches of records, never while holding a buffer
					batches = batches.delayUntil((batch) -> pace.before(batch.size()));
				}
				return message.writeWith(batches.map((batch) -> write(buffers, batch, before, after)));
			}

		};
	}

	/**
	 * A budget a kind of stream shares: before each write, when its records may go.
	 */
	@FunctionalInterface
	public interface Pace {

		/**
		 * When the next {@code records} may be written: completes at once, or later.
		 */
		Mono<Void> before(int records);

	}

	private static DataBuffer write(DataBufferFactory buffers, List<String> batch, byte[] before, byte[] after) {
		// String.getBytes is one intrinsic copy for the usual (Latin-1) text; writing
		// UTF-8
		// into the buffer char by char cost more than everything else a feed does
		byte[][] encoded = new byte[batch.size()][];
		int size = 0;
		for (int i = 0; i < encoded.length; i++) {
			encoded[i] = batch.get(i).getBytes(StandardCharsets.UTF_8);
			size += encoded[i].length + after.length + ((before != null) ? before.length : 0);
		}
		DataBuffer buffer = buffers.allocateBuffer(size);
		for (byte[] record : encoded) {
			if (before != null) {
				buffer.write(before);
			}
			buffer.write(record);
			buffer.write(after);
		}
		return buffer;
	}

}
