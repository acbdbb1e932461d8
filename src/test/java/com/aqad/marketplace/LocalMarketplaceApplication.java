package com.aqad.marketplace;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/**
 * The local run ({@code ./mvnw spring-boot:test-run}): the real application, with
 * PostgreSQL and Redis started for it (see {@code DataServices}) and a demo catalog
 * seeded.
 */
public final class LocalMarketplaceApplication {

	private static final Logger log = LoggerFactory.getLogger(LocalMarketplaceApplication.class);

	private LocalMarketplaceApplication() {
	}

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(MarketplaceApplication.class);
		application.setAdditionalProfiles("local");
		application.addListeners((ApplicationReadyEvent ready) -> {
			if (ready.getApplicationContext() instanceof WebServerApplicationContext web) {
				log.info("AQAD Marketplace API is ready: http://localhost:{}/api/v1/products",
						web.getWebServer().getPort());
			}
		});
		application.run(args);
	}

}
