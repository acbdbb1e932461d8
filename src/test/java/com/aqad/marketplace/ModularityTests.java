package com.aqad.marketplace;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;

/**
 * Features depend on each other only through their public faces, and platform on no
 * feature.
 */
class ModularityTests {

	private final ApplicationModules modules = ApplicationModules.of(MarketplaceApplication.class);

	@Test
	void featureBoundariesHold() {
		this.modules.verify();
	}

}
