package com.aqad.marketplace.platform.web;

import java.nio.charset.StandardCharsets;
import java.util.List;

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
		return body(records, perWrite, null, NEWLINE);
	}

	/**
	 * One server-sent event of type {@code event} per JSON text.
	 */
	public static BodyInserter<Flux<String>, ReactiveHttpOutputMessage> events(Flux<String> records, String event,
			int perWrite) {
		byte[] start = ("event: " + event + "\n").getBytes(StandardCharsets.US_ASCII);
		byte[] before = new byte[start.length + SSE_DATA.length];
		System.arraycopy(start, 0, before, 0, start.length);
		System.arraycopy(SSE_DATA, 0, before, start.length, SSE_DATA.length);
		return body(records, perWrite, before, SSE_END);
	}

	private static BodyInserter<Flux<String>, ReactiveHttpOutputMessage> body(Flux<String> records, int perWrite,
			byte[] before, byte[] after) {
		return new BodyInserter<>() {

			@Override
			public Mono<Void> insert(ReactiveHttpOutputMessage message, Context context) {
				DataBufferFactory buffers = message.bufferFactory();
				return message.writeWith(records.buffer(perWrite).map((batch) -> write(buffers, batch, before, after)));
			}

		};
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
