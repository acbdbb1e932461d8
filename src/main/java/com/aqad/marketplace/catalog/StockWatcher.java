package com.aqad.marketplace.catalog;

import java.util.UUID;

import reactor.core.publisher.Mono;

/**
 * Told when a product's stock goes up through the API, before the write is acknowledged
 * (another feature's bean; the catalog knows only this interface).
 */
public interface StockWatcher {

	Mono<Void> stockRaised(UUID productId);

}
