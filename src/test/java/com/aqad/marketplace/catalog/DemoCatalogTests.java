package com.aqad.marketplace.catalog;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.aqad.marketplace.platform.devservices.DataServices;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The demo catalog generator, against a database of its own (it only seeds an empty one).
 */
class DemoCatalogTests {

	private static DatabaseClient db;

	@BeforeAll
	static void emptyMigratedDatabase() {
		DataServices.Endpoint postgres = DataServices.postgres();
		String name = "seed_" + UUID.randomUUID().toString().replace("-", "");
		DatabaseClient admin = DatabaseClient.create(connect(postgres, postgres.database()));
		admin.sql("create database " + name).then().block(Duration.ofSeconds(30));
		Flyway.configure()
			.dataSource("jdbc:postgresql://%s:%d/%s".formatted(postgres.host(), postgres.port(), name), postgres.user(),
					postgres.password())
			.load()
			.migrate();
		db = DatabaseClient.create(connect(postgres, name));
	}

	@Test
	void seedsTheAskedNumberOfProductsAndKeepsEveryIndexAndForeignKey() {
		List<String> before = schema();
		seed(5_000);
		assertThat(count("products")).isEqualTo(5_000);
		assertThat(count("categories")).isEqualTo(DemoCatalog.CATEGORIES.size());
		assertThat(schema()).as("indexes and foreign keys after the load").isEqualTo(before);
		assertThatExceptionOfType(DataIntegrityViolationException.class).isThrownBy(() -> db.sql("""
				insert into products (vendor_id, category_id, sku, name, price_minor, currency, stock)
				select id, id, 'orphan', 'Orphan', 1, 'EUR', 1 from organizations limit 1""").then().block());
		assertThat(db.sql("select count(*) from products where search @@ websearch_to_tsquery('english', 'kettle')")
			.map((row) -> row.get(0, Long.class))
			.one()
			.block()).as("the full-text column is filled").isPositive();

		seed(5_000);
		assertThat(count("products")).as("a database with products is not seeded again").isEqualTo(5_000);
	}

	private static void seed(long products) {
		new DemoCatalog(db, new MockEnvironment().withProperty("aqad.demo.products", Long.toString(products))).seed()
			.block(Duration.ofMinutes(2));
	}

	private static List<String> schema() {
		return db.sql("""
				select indexdef as definition from pg_indexes where tablename = 'products'
				union all
				select pg_get_constraintdef(oid) from pg_constraint where conrelid = 'products'::regclass
				order by 1""").map((row) -> row.get("definition", String.class)).all().collectList().block();
	}

	private static long count(String table) {
		return db.sql("select count(*) from " + table).map((row) -> row.get(0, Long.class)).one().block();
	}

	private static ConnectionFactory connect(DataServices.Endpoint postgres, String database) {
		return ConnectionFactories.get("r2dbc:postgresql://%s:%s@%s:%d/%s".formatted(postgres.user(),
				postgres.password(), postgres.host(), postgres.port(), database));
	}

}
