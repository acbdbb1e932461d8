package com.aqad.marketplace.platform.devservices;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Waits inside libraries that BlockHound reports but that are bounded and internal:
 * Lettuce makes a command write wait while its endpoint briefly holds an exclusive lock
 * for a (re)connect or a flush; Jackson makes a thread wait while another builds the
 * deserializer of the same type for the first time. Every other blocking call on a
 * non-blocking thread fails the test.
 */
public class KnownBriefWaits implements BlockHoundIntegration {

	@Override
	public void applyTo(BlockHound.Builder builder) {
		builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "incrementWriters");
		// Jackson builds a type's deserializer once, under a lock that a second thread
		// wanting the same type at that moment waits for
		builder.allowBlockingCallsInside("tools.jackson.databind.deser.DeserializerCache",
				"_createAndCacheValueDeserializer");
	}

}
