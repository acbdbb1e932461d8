package com.aqad.marketplace.catalog;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Wrapped;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.core.annotation.Order;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Seeds a demo catalog (categories, vendors and {@code aqad.demo.products} products) into
 * an empty database, for the local run and for benchmarks. Products go in through
 * PostgreSQL's COPY, streamed from a generator: a million rows take seconds, not minutes.
 */
@Component
@ConditionalOnExpression("${aqad.demo.products:0} > 0")
@Order(100)
class DemoCatalog implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(DemoCatalog.class);

	static final List<String> CATEGORIES = List.of("Beverages", "Snacks", "Dairy", "Bakery", "Frozen Foods",
			"Cleaning Supplies", "Paper Goods", "Office Supplies", "Packaging", "Hardware", "Electrical", "Plumbing",
			"Tools", "Safety Equipment", "Personal Care", "Pet Supplies", "Kitchenware", "Textiles", "Garden",
			"Automotive");

	private static final String[] ADJECTIVES = { "Premium", "Classic", "Organic", "Heavy Duty", "Compact", "Industrial",
			"Eco", "Deluxe", "Economy", "Professional", "Fresh", "Stainless", "Reusable", "Bulk" };

	private static final String[] MATERIALS = { "Steel", "Cotton", "Bamboo", "Glass", "Ceramic", "Aluminium", "Paper",
			"Oak", "Copper", "Rubber", "Nylon", "Porcelain", "Brass", "Wool" };

	private static final String[] NOUNS = { "Bolt", "Kettle", "Towel", "Bottle", "Bucket", "Mug", "Hammer", "Cable",
			"Tape", "Box", "Brush", "Gloves", "Ladder", "Lamp", "Pan", "Sponge", "Notebook", "Bag", "Valve", "Drill" };

	private static final int VENDORS = 50;

	/** a million products took 40 s on the project's 2-core machine */
	private static final Duration SEED_TIMEOUT = Duration.ofMinutes(10);

	private static final String COPY = """
			copy products (id, vendor_id, category_id, sku, name, description, price_minor, currency, stock,
			               status, created_at, updated_at) from stdin""";

	/**
	 * Indexes of products that no constraint owns, and its foreign keys: what a bulk load
	 * into the empty table can drop and create again. The statements are built by
	 * PostgreSQL from its own catalog ({@code quote_ident},
	 * {@code pg_get_constraintdef}).
	 */
	private static final String DEFERRABLE = """
			select 'drop index ' || quote_ident(indexname) as drop_sql, indexdef as create_sql, false as foreign_key
			from pg_indexes
			where schemaname = current_schema() and tablename = 'products'
			  and indexname not in (select conname from pg_constraint where conrelid = 'products'::regclass)
			union all
			select 'alter table products drop constraint ' || quote_ident(conname),
			       'alter table products add constraint ' || quote_ident(conname) || ' ' || pg_get_constraintdef(oid),
			       true
			from pg_constraint
			where conrelid = 'products'::regclass and contype = 'f'""";

	private static final int ROWS_PER_CHUNK = 2_000;

	private static final int STREAMS = 2;

	private final DatabaseClient db;

	private final long products;

	DemoCatalog(DatabaseClient db, org.springframework.core.env.Environment environment) {
		this.db = db;
		this.products = environment.getRequiredProperty("aqad.demo.products", Long.class);
	}

	@Override
	public void run(ApplicationArguments args) {
		// Start-up, on the main thread: the server reports ready once the catalog is
		// there. Reactor's block refuses an event loop (a future's join would not) and
		// gives up on a database that never answers.
		seed().block(SEED_TIMEOUT);
	}

	Mono<Void> seed() {
		return this.db.sql("select exists (select 1 from products) as seeded")
			.map((row) -> row.get("seeded", Boolean.class))
			.one()
			.flatMap((seeded) -> seeded ? Mono.fromRunnable(() -> log.info("Catalog already has products; not seeding"))
					: seedEmpty());
	}

	private Mono<Void> seedEmpty() {
		long started = System.nanoTime();
		return Flux.fromIterable(CATEGORIES)
			.concatMap((name) -> this.db.sql("insert into categories (name, slug) values (:name, :slug) returning id")
				.bind("name", name)
				.bind("slug", name.toLowerCase(java.util.Locale.ROOT).replace(' ', '-'))
				.map((row) -> row.get("id", UUID.class))
				.one())
			.collectList()
			.zipWith(Flux.range(1, VENDORS)
				.concatMap((n) -> this.db
					.sql("insert into organizations (name, kind) values (:name, 'VENDOR') returning id")
					.bind("name", "Demo Vendor %02d".formatted(n))
					.map((row) -> row.get("id", UUID.class))
					.one())
				.collectList())
			.flatMap((ids) -> copyProducts(ids.getT1(), ids.getT2()))
			.flatMap((count) -> this.db.sql("analyze products").then().thenReturn(count))
			.doOnNext((count) -> log.info("Seeded the demo catalog: {} categories, {} vendors, {} products in {} ms",
					CATEGORIES.size(), VENDORS, count, Duration.ofNanos(System.nanoTime() - started).toMillis()))
			.then();
	}

	/**
	 * Streams the products in with COPY, on {@link #STREAMS} connections at once
	 * (PostgreSQL spends most of a load computing the full-text column and checking
	 * foreign keys, one core per connection). The table is empty, so its secondary
	 * indexes and foreign keys are dropped first and created again afterwards from their
	 * own definitions: one sort per index and one validating pass per key instead of a
	 * million insertions and row locks. They are created again even when the load fails.
	 */
	private Mono<Long> copyProducts(List<UUID> categories, List<UUID> vendors) {
		Instant newest = Instant.now();
		int chunks = (int) Math.ceil(this.products / (double) ROWS_PER_CHUNK);
		Mono<Long> load = Flux.range(0, STREAMS)
			.flatMap((stream) -> this.db.inConnection((connection) -> postgres(connection).copyIn(COPY,
					Flux.range(0, chunks)
						.filter((chunk) -> chunk % STREAMS == stream)
						.map((chunk) -> chunk(chunk, categories, vendors, newest))
						.subscribeOn(Schedulers.boundedElastic()))),
					STREAMS)
			.reduce(0L, Long::sum);
		return this.db.inConnection((connection) -> {
			PostgresqlConnection postgres = postgres(connection);
			return Flux.from(postgres.createStatement(DEFERRABLE).execute())
				.flatMap((result) -> result.map((row, meta) -> new Deferred(row.get("drop_sql", String.class),
						row.get("create_sql", String.class),
						Boolean.TRUE.equals(row.get("foreign_key", Boolean.class)))))
				.collectList()
				.flatMap((deferred) -> {
					// indexes in parallel, the slow full-text one first; then the foreign
					// keys
					Mono<Void> rebuild = Flux.fromIterable(deferred)
						.filter((item) -> !item.foreignKey())
						.sort(Comparator.comparing((Deferred item) -> !item.create().contains("USING gin")))
						.flatMap((index) -> this.db
							.inConnection((builder) -> execute(postgres(builder), "set maintenance_work_mem = '256MB'")
								.then(execute(postgres(builder), index.create()))), STREAMS)
						.thenMany(Flux.fromIterable(deferred)
							.filter(Deferred::foreignKey)
							.concatMap((key) -> execute(postgres, key.create())))
						.then();
					return Flux.fromIterable(deferred)
						.concatMap((item) -> execute(postgres, item.drop()))
						.then(load)
						.onErrorResume((failure) -> rebuild.then(Mono.error(failure)))
						.flatMap((count) -> rebuild.thenReturn(count));
				});
		});
	}

	/**
	 * An index or foreign key of products, dropped for the load and created again after
	 * it.
	 */
	private record Deferred(String drop, String create, boolean foreignKey) {
	}

	private static Mono<Void> execute(PostgresqlConnection postgres, String sql) {
		return Flux.from(postgres.createStatement(sql).execute()).flatMap((result) -> result.getRowsUpdated()).then();
	}

	private ByteBuf chunk(int chunk, List<UUID> categories, List<UUID> vendors, Instant newest) {
		StringBuilder text = new StringBuilder(ROWS_PER_CHUNK * 200);
		long first = (long) chunk * ROWS_PER_CHUNK;
		long last = Math.min(first + ROWS_PER_CHUNK, this.products);
		for (long n = first; n < last; n++) {
			SplittableRandom random = new SplittableRandom(n);
			String name = ADJECTIVES[random.nextInt(ADJECTIVES.length)] + " "
					+ MATERIALS[random.nextInt(MATERIALS.length)] + " " + NOUNS[random.nextInt(NOUNS.length)] + " "
					+ (n % 997);
			int roll = random.nextInt(100);
			String status = (roll < 95) ? "ACTIVE" : (roll < 98) ? "DRAFT" : "ARCHIVED";
			int stock = (random.nextInt(20) == 0) ? 0 : random.nextInt(1, 5_000);
			String created = newest.minusMillis(n * 250 + random.nextInt(250)).toString();
			text.append(new UUID(random.nextLong(), random.nextLong()))
				.append('\t')
				.append(vendors.get((int) (n % vendors.size())))
				.append('\t')
				.append(categories.get(random.nextInt(categories.size())))
				.append('\t')
				.append("SKU-")
				.append(n)
				.append('\t')
				.append(name)
				.append('\t')
				.append(name)
				.append(", sold by the case. Demo product number ")
				.append(n)
				.append('.')
				.append('\t')
				.append(random.nextLong(100, 500_000))
				.append('\t')
				.append("EUR")
				.append('\t')
				.append(stock)
				.append('\t')
				.append(status)
				.append('\t')
				.append(created)
				.append('\t')
				.append(created)
				.append('\n');
		}
		return Unpooled.wrappedBuffer(text.toString().getBytes(StandardCharsets.UTF_8));
	}

	private static PostgresqlConnection postgres(Connection connection) {
		Connection target = connection;
		while (!(target instanceof PostgresqlConnection) && target instanceof Wrapped<?> wrapped) {
			target = (Connection) wrapped.unwrap();
		}
		return (PostgresqlConnection) target;
	}

}
