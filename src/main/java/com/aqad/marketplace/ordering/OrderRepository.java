package com.aqad.marketplace.ordering;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;

/**
 * Orders, their lines and payments in PostgreSQL. Every write that changes stock or an
 * order is one statement: it locks, checks, writes the order and its outbox event, and
 * commits in one round trip, so a hot product's row is locked for as short a time as
 * PostgreSQL allows.
 */
@Repository
class OrderRepository {

	/**
	 * SQLSTATE raised by {@code raise_insufficient_stock()}: the statement undid itself.
	 */
	static final String INSUFFICIENT_STOCK = "P0001";

	private static final String ORDER_COLUMNS = """
			o.id, o.retailer_id, o.vendor_id, o.status, o.payment_status, o.delivery_partner_id, o.total_minor,
			o.currency, o.note, o.created_at, o.updated_at""";

	private static final String EVENT_PAYLOAD = """
			json_build_object('orderId', o.id, 'status', o.status, 'paymentStatus', o.payment_status,
			    'retailerId', o.retailer_id, 'vendorId', o.vendor_id, 'deliveryPartnerId', o.delivery_partner_id,
			    'totalMinor', o.total_minor, 'currency', o.currency,
			    'updatedAt', to_char(o.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text""";

	/**
	 * Reserve every line's stock (rows locked in id order first, so that orders naming
	 * the same products in another order cannot deadlock), write the order, its lines and
	 * its event, and complete its Idempotency-Key; or, if any line is short, raise and
	 * undo it all. The database's own check (stock >= 0) stands behind the condition
	 * here.
	 */
	private static final String PLACE = """
			with wanted as (
			    select w.product_id, w.quantity, w.line_no::integer as line_no
			    from unnest(cast(:products as uuid[]), cast(:quantities as integer[])) with ordinality
			         as w(product_id, quantity, line_no)
			),
			held as materialized (
			    select k.account_id from idempotency_keys k
			    where k.account_id = :placedBy and k.key = :idempotencyKey and k.claim = :claim and k.status is null
			    for update
			),
			claimed as materialized (
			    select cast(:idempotencyKey as text) is null or exists (select 1 from held) as ok
			),
			locked as materialized (
			    select p.id from products p where p.id = any(cast(:products as uuid[])) order by p.id for update
			),
			reserved as (
			    update products p set stock = p.stock - w.quantity
			    from wanted w
			    where p.id = w.product_id and p.status = 'ACTIVE' and p.vendor_id = :vendor and p.currency = :currency
			      and p.stock >= w.quantity and (select count(*) from locked) > 0 and (select ok from claimed)
			    returning p.id, p.name, p.price_minor, p.stock, w.quantity, w.line_no
			),
			ordered as (
			    insert into orders (retailer_id, placed_by, vendor_id, total_minor, currency, note)
			    select :retailer, :placedBy, :vendor, (select sum(price_minor * quantity) from reserved), :currency, :note
			    where case when (select count(*) from reserved) = :lineCount then true
			               when not (select ok from claimed) then false
			               else raise_insufficient_stock() end
			    returning *
			),
			lines as (
			    insert into order_lines (order_id, line_no, product_id, name, quantity, unit_price_minor, line_total_minor)
			    select o.id, r.line_no, r.id, r.name, r.quantity, r.price_minor, r.price_minor * r.quantity
			    from reserved r cross join ordered o
			    returning line_no, product_id, name, quantity, unit_price_minor, line_total_minor
			),
			event as (
			    insert into order_events (type, order_id, retailer_id, vendor_id, payload)
			    select 'order.created', o.id, o.retailer_id, o.vendor_id, %s from ordered o
			),
			claim as (
			    update idempotency_keys set order_id = (select id from ordered), status = 201, locked_until = null
			    where account_id = :placedBy and key = :idempotencyKey and claim = :claim
			      and exists (select 1 from ordered)
			)
			select o.id, o.retailer_id, o.vendor_id, o.status, o.payment_status, o.delivery_partner_id, o.total_minor,
			       o.currency, o.note, o.created_at, o.updated_at,
			       l.product_id, l.name, l.quantity, l.unit_price_minor, l.line_total_minor, r.stock as stock_left
			from ordered o cross join lines l join reserved r on r.id = l.product_id
			order by l.line_no"""
		.formatted(EVENT_PAYLOAD);

	/**
	 * Single-line orders for one product, first come first served: the product's row is
	 * locked once, each order takes its quantity while the stock lasts (a running total
	 * over the orders in arrival order), and the orders that fit are written with their
	 * lines, events and Idempotency-Keys; one commit for all.
	 */
	private static final String PLACE_BATCH = """
			with req as materialized (
			    select r.retailer, r.placed_by, r.quantity, r.note, r.idempotency_key, r.claim, r.ord,
			           gen_random_uuid() as id
			    from unnest(cast(:retailers as uuid[]), cast(:placedBy as uuid[]), cast(:quantities as integer[]),
			                cast(:notes as text[]), cast(:keys as text[]), cast(:claims as uuid[]))
			         with ordinality as r(retailer, placed_by, quantity, note, idempotency_key, claim, ord)
			),
			held as materialized (
			    select k.account_id, k.key from idempotency_keys k
			    join req on k.account_id = req.placed_by and k.key = req.idempotency_key and k.claim = req.claim
			    where k.status is null
			    for update of k
			),
			live as materialized (
			    select req.* from req
			    where req.idempotency_key is null
			       or exists (select 1 from held h where h.account_id = req.placed_by and h.key = req.idempotency_key)
			),
			p as materialized (
			    select id, name, price_minor, currency, vendor_id, stock from products
			    where id = :product and status = 'ACTIVE' and vendor_id = :vendor and currency = :currency for update
			),
			ok as materialized (
			    select t.* from (select live.*, sum(live.quantity) over (order by live.ord) as taken from live) t, p
			    where t.taken <= p.stock
			),
			upd as (
			    update products set stock = stock - (select sum(quantity) from ok)
			    where id = :product and exists (select 1 from ok) returning stock
			),
			ordered as (
			    insert into orders (id, retailer_id, placed_by, vendor_id, total_minor, currency, note)
			    select ok.id, ok.retailer, ok.placed_by, p.vendor_id, p.price_minor * ok.quantity, p.currency, ok.note
			    from ok, p
			    returning *
			),
			lines as (
			    insert into order_lines (order_id, line_no, product_id, name, quantity, unit_price_minor, line_total_minor)
			    select ok.id, 1, p.id, p.name, ok.quantity, p.price_minor, p.price_minor * ok.quantity from ok, p
			),
			event as (
			    insert into order_events (type, order_id, retailer_id, vendor_id, payload)
			    select 'order.created', o.id, o.retailer_id, o.vendor_id, %s from ordered o
			),
			claim as (
			    update idempotency_keys k set order_id = ok.id, status = 201, locked_until = null
			    from ok where k.account_id = ok.placed_by and k.key = ok.idempotency_key and k.claim = ok.claim
			)
			select req.ord, req.quantity, o.id, o.retailer_id, o.vendor_id, o.status, o.payment_status,
			       o.delivery_partner_id, o.total_minor, o.currency, o.note, o.created_at, o.updated_at,
			       p.name, p.price_minor, coalesce((select stock from upd), p.stock, 0) as stock_left,
			       exists (select 1 from live where live.ord = req.ord) as claim_held
			from req left join ordered o on o.id = req.id left join p on true
			order by req.ord"""
		.formatted(EVENT_PAYLOAD);

	private final DatabaseClient db;

	OrderRepository(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * The products an order names, as they are now (no lock): for checks before the
	 * reservation.
	 */
	Flux<Offer> offers(List<UUID> products) {
		return this.db.sql("""
				select id, vendor_id, status, name, price_minor, currency, stock from products
				where id = any(cast(:ids as uuid[]))""")
			.bind("ids", products.toArray(UUID[]::new))
			.map((row) -> new Offer(row.get("id", UUID.class), row.get("vendor_id", UUID.class),
					row.get("status", String.class), row.get("price_minor", Long.class),
					row.get("currency", String.class), row.get("stock", Integer.class)))
			.all();
	}

	/**
	 * A product as an order sees it.
	 */
	record Offer(UUID id, UUID vendorId, String status, long priceMinor, String currency, int stock) {

		boolean isActive() {
			return "ACTIVE".equals(this.status);
		}

	}

	/**
	 * The placed order and, per product, the stock left; an error with SQLSTATE
	 * {@link #INSUFFICIENT_STOCK} when a line could not be reserved (nothing was
	 * written).
	 */
	Mono<Placed> place(NewOrder order) {
		GenericExecuteSpec spec = this.db.sql(PLACE)
			.bind("products", order.lines().stream().map(OrderInput.Wanted::productId).toArray(UUID[]::new))
			.bind("quantities", order.lines().stream().map(OrderInput.Wanted::quantity).toArray(Integer[]::new))
			.bind("retailer", order.retailerId())
			.bind("placedBy", order.placedBy())
			.bind("vendor", order.vendorId())
			.bind("currency", order.currency())
			.bind("lineCount", (long) order.lines().size());
		spec = (order.note() != null) ? spec.bind("note", order.note()) : spec.bindNull("note", String.class);
		IdempotencyKeys.Claim claim = order.claim();
		spec = (claim != null) ? spec.bind("idempotencyKey", claim.key()).bind("claim", claim.token())
				: spec.bindNull("idempotencyKey", String.class).bindNull("claim", UUID.class);
		return spec.map((row) -> new PlacedRow(order(row), line(row), row.get("stock_left", Integer.class)))
			.all()
			.collectList()
			.filter((rows) -> !rows.isEmpty())
			.map((rows) -> {
				Map<UUID, Integer> stockLeft = new LinkedHashMap<>();
				List<Order.Line> lines = new ArrayList<>();
				rows.forEach((row) -> {
					lines.add(row.line());
					stockLeft.put(row.line().productId(), row.stockLeft());
				});
				return new Placed(rows.get(0).order().withLines(List.copyOf(lines)), stockLeft);
			});
	}

	/**
	 * One single-line order of a batch; {@code vendorId} and {@code currency} are the
	 * product's as checked before (the statement checks them again under the lock).
	 */
	record BatchedOrder(UUID productId, UUID vendorId, String currency, UUID retailerId, UUID placedBy, int quantity,
			String note, IdempotencyKeys.Claim claim) {

		String idempotencyKey() {
			return (this.claim != null) ? this.claim.key() : null;
		}

		UUID claimToken() {
			return (this.claim != null) ? this.claim.token() : null;
		}

	}

	/**
	 * Places a batch of single-line orders for one product (see {@link #PLACE_BATCH});
	 * one outcome per order, in order: the order, or none when the stock did not last.
	 */
	Mono<List<OrderBatches.Outcome>> placeBatch(UUID product, List<BatchedOrder> batch) {
		BatchedOrder first = batch.get(0);
		return this.db.sql(PLACE_BATCH)
			.bind("retailers", batch.stream().map(BatchedOrder::retailerId).toArray(UUID[]::new))
			.bind("placedBy", batch.stream().map(BatchedOrder::placedBy).toArray(UUID[]::new))
			.bind("quantities", batch.stream().map(BatchedOrder::quantity).toArray(Integer[]::new))
			.bind("notes", batch.stream().map(BatchedOrder::note).toArray(String[]::new))
			.bind("keys", batch.stream().map(BatchedOrder::idempotencyKey).toArray(String[]::new))
			.bind("claims", batch.stream().map(BatchedOrder::claimToken).toArray(UUID[]::new))
			.bind("product", product)
			.bind("vendor", first.vendorId())
			.bind("currency", first.currency())
			.map((row) -> {
				int stockLeft = row.get("stock_left", Integer.class);
				boolean claimHeld = Boolean.TRUE.equals(row.get("claim_held", Boolean.class));
				if (row.get("id", UUID.class) == null) {
					return new OrderBatches.Outcome(null, stockLeft, claimHeld);
				}
				int quantity = row.get("quantity", Integer.class);
				long price = row.get("price_minor", Long.class);
				Order.Line line = new Order.Line(product, row.get("name", String.class), quantity, price,
						price * quantity);
				return new OrderBatches.Outcome(order(row).withLines(List.of(line)), stockLeft, claimHeld);
			})
			.all()
			.collectList();
	}

	record NewOrder(UUID retailerId, UUID placedBy, UUID vendorId, String currency, List<OrderInput.Wanted> lines,
			String note, IdempotencyKeys.Claim claim) {
	}

	record Placed(Order order, Map<UUID, Integer> stockLeft) {
	}

	private record PlacedRow(Order order, Order.Line line, int stockLeft) {
	}

	Mono<Order> findById(UUID id) {
		return this.db.sql("select " + ORDER_COLUMNS + " from orders o where o.id = :id")
			.bind("id", id)
			.map(OrderRepository::order)
			.one()
			.flatMap(this::withLines);
	}

	/**
	 * The order with its lines read (statements that change an order return it without).
	 */
	Mono<Order> withLines(Order order) {
		return lines(List.of(order.id())).collectList().map(order::withLines);
	}

	/**
	 * One page of the orders a caller sees, newest first, plus one more when there is a
	 * next page.
	 */
	Flux<Order> list(OrderVisibility visibility, OrderStatus status, OrderCursor after, int limit) {
		StringBuilder sql = new StringBuilder("select " + ORDER_COLUMNS + " from orders o where true");
		sql.append(visibility.condition("o."));
		if (status != null) {
			sql.append(" and o.status = :status");
		}
		if (after != null) {
			sql.append(" and (o.created_at, o.id) < (:afterAt, :afterId)");
		}
		sql.append(" order by o.created_at desc, o.id desc limit :limit");
		GenericExecuteSpec spec = visibility.bind(this.db.sql(sql.toString()).bind("limit", limit + 1));
		if (status != null) {
			spec = spec.bind("status", status.name());
		}
		if (after != null) {
			spec = spec.bind("afterAt", OffsetDateTime.ofInstant(after.createdAt(), ZoneOffset.UTC))
				.bind("afterId", after.id());
		}
		return spec.map(OrderRepository::order).all();
	}

	Flux<Order.Line> lines(List<UUID> orders, Map<UUID, List<Order.Line>> into) {
		return this.db.sql("""
				select order_id, product_id, name, quantity, unit_price_minor, line_total_minor from order_lines
				where order_id = any(cast(:ids as uuid[])) order by order_id, line_no""")
			.bind("ids", orders.toArray(UUID[]::new))
			.map((row) -> {
				Order.Line line = line(row);
				into.computeIfAbsent(row.get("order_id", UUID.class), (id) -> new ArrayList<>()).add(line);
				return line;
			})
			.all();
	}

	private Flux<Order.Line> lines(List<UUID> orders) {
		return lines(orders, new LinkedHashMap<>());
	}

	/**
	 * Moves the order from {@code from} to {@code to} and writes its event; empty when
	 * the order is no longer in {@code from} (someone else moved it first).
	 */
	Mono<Order> move(UUID id, OrderStatus from, OrderStatus to) {
		return this.db
			.sql("""
					with moved as (
					    update orders set status = :to, updated_at = now() where id = :id and status = :from returning *
					),
					event as (
					    insert into order_events (type, order_id, retailer_id, vendor_id, delivery_partner_id, payload)
					    select 'order.status_changed', o.id, o.retailer_id, o.vendor_id, o.delivery_partner_id, %s from moved o
					)
					select %s from moved o"""
				.formatted(EVENT_PAYLOAD, ORDER_COLUMNS))
			.bind("id", id)
			.bind("from", from.name())
			.bind("to", to.name())
			.map(OrderRepository::order)
			.one();
	}

	/**
	 * Assigns a delivery partner to a CONFIRMED order; empty when it is no longer
	 * CONFIRMED.
	 */
	Mono<Order> assignDelivery(UUID id, UUID partner) {
		return this.db.sql("""
				with assigned as (
				    update orders set delivery_partner_id = :partner, updated_at = now()
				    where id = :id and status = 'CONFIRMED' returning *
				),
				event as (
				    insert into order_events (type, order_id, retailer_id, vendor_id, delivery_partner_id, payload)
				    select 'order.delivery_assigned', o.id, o.retailer_id, o.vendor_id, o.delivery_partner_id, %s
				    from assigned o
				)
				select %s from assigned o""".formatted(EVENT_PAYLOAD, ORDER_COLUMNS))
			.bind("id", id)
			.bind("partner", partner)
			.map(OrderRepository::order)
			.one();
	}

	/**
	 * Cancels an order that is still {@code from}: its stock goes back (rows locked in id
	 * order), a paid order is refunded, and the event is written; empty when it is no
	 * longer {@code from}.
	 */
	Mono<Order> cancel(UUID id, OrderStatus from) {
		return this.db
			.sql("""
					with moved as (
					    update orders set status = 'CANCELLED', updated_at = now(),
					           payment_status = case when payment_status = 'PAID' then 'REFUNDED' else payment_status end
					    where id = :id and status = :from returning *
					),
					locked as materialized (
					    select p.id from products p join order_lines l on l.product_id = p.id
					    where l.order_id = (select id from moved) order by p.id for update of p
					),
					restocked as (
					    update products p set stock = p.stock + l.quantity
					    from order_lines l
					    where l.order_id = (select id from moved) and p.id = l.product_id and (select count(*) from locked) > 0
					),
					refund as (
					    insert into payments (order_id, kind, amount_minor, currency, method, reference)
					    select o.id, 'REFUND', o.total_minor, o.currency, c.method, c.reference
					    from moved o join payments c on c.order_id = o.id and c.kind = 'CAPTURE'
					    where o.payment_status = 'REFUNDED'
					),
					event as (
					    insert into order_events (type, order_id, retailer_id, vendor_id, delivery_partner_id, payload)
					    select 'order.status_changed', o.id, o.retailer_id, o.vendor_id, o.delivery_partner_id, %s from moved o
					)
					select %s from moved o"""
				.formatted(EVENT_PAYLOAD, ORDER_COLUMNS))
			.bind("id", id)
			.bind("from", from.name())
			.map(OrderRepository::order)
			.one();
	}

	/**
	 * Records the capture that pays an UNPAID, not cancelled order of exactly this
	 * amount, with its event and Idempotency-Key; empty when the order is not (or no
	 * longer) in that state.
	 */
	Mono<Payment> capture(UUID orderId, OrderInput.Pay pay, UUID account, IdempotencyKeys.Claim claim) {
		GenericExecuteSpec spec = this.db.sql("""
				with paid as (
				    update orders set payment_status = 'PAID', updated_at = now()
				    where id = :id and payment_status = 'UNPAID' and status <> 'CANCELLED' and total_minor = :amount
				    returning *
				),
				payment as (
				    insert into payments (order_id, kind, amount_minor, currency, method, reference)
				    select id, 'CAPTURE', total_minor, currency, :method, :reference from paid
				    returning *
				),
				event as (
				    insert into order_events (type, order_id, retailer_id, vendor_id, delivery_partner_id, payload)
				    select 'payment.captured', o.id, o.retailer_id, o.vendor_id, o.delivery_partner_id, %s from paid o
				),
				claim as (
				    update idempotency_keys set status = 201, locked_until = null
				    where account_id = :account and key = :idempotencyKey and claim = :claim
				      and exists (select 1 from payment)
				)
				select * from payment""".formatted(EVENT_PAYLOAD))
			.bind("id", orderId)
			.bind("amount", pay.amountMinor())
			.bind("method", pay.method().name())
			.bind("account", account);
		spec = (pay.reference() != null) ? spec.bind("reference", pay.reference())
				: spec.bindNull("reference", String.class);
		spec = (claim != null) ? spec.bind("idempotencyKey", claim.key()).bind("claim", claim.token())
				: spec.bindNull("idempotencyKey", String.class).bindNull("claim", UUID.class);
		return spec.map(OrderRepository::payment).one();
	}

	Flux<Payment> payments(UUID orderId) {
		return this.db.sql("select * from payments where order_id = :id order by created_at, kind")
			.bind("id", orderId)
			.map(OrderRepository::payment)
			.all();
	}

	/**
	 * Orders as JSON (with their lines), created in {@code [from, to)}, for an export:
	 * streamed {@code fetchSize} rows at a time.
	 */
	Flux<String> export(OrderVisibility visibility, java.time.Instant from, java.time.Instant to, int fetchSize) {
		StringBuilder sql = new StringBuilder(
				"""
						select json_build_object('id', o.id, 'retailerId', o.retailer_id, 'vendorId', o.vendor_id,
						    'status', o.status, 'paymentStatus', o.payment_status, 'deliveryPartnerId', o.delivery_partner_id,
						    'lines', (select json_agg(json_build_object('productId', l.product_id, 'name', l.name,
						                  'quantity', l.quantity, 'unitPriceMinor', l.unit_price_minor,
						                  'lineTotalMinor', l.line_total_minor) order by l.line_no)
						              from order_lines l where l.order_id = o.id),
						    'totalMinor', o.total_minor, 'currency', o.currency, 'note', o.note,
						    'createdAt', to_char(o.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
						    'updatedAt', to_char(o.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text as json
						from orders o where true""");
		sql.append(visibility.condition("o."));
		if (from != null) {
			sql.append(" and o.created_at >= :from");
		}
		if (to != null) {
			sql.append(" and o.created_at < :to");
		}
		sql.append(" order by o.created_at, o.id");
		GenericExecuteSpec spec = visibility.bind(this.db.sql(sql.toString()));
		if (from != null) {
			spec = spec.bind("from", OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
		}
		if (to != null) {
			spec = spec.bind("to", OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
		}
		return spec.filter((statement, next) -> next.execute(statement.fetchSize(fetchSize)))
			.map((row) -> row.get("json", String.class))
			.all();
	}

	static Order order(Readable row) {
		return new Order(row.get("id", UUID.class), row.get("retailer_id", UUID.class),
				row.get("vendor_id", UUID.class), OrderStatus.valueOf(row.get("status", String.class)),
				PaymentStatus.valueOf(row.get("payment_status", String.class)),
				row.get("delivery_partner_id", UUID.class), List.of(), row.get("total_minor", Long.class),
				row.get("currency", String.class), row.get("note", String.class),
				row.get("created_at", OffsetDateTime.class).toInstant(),
				row.get("updated_at", OffsetDateTime.class).toInstant());
	}

	private static Order.Line line(Readable row) {
		return new Order.Line(row.get("product_id", UUID.class), row.get("name", String.class),
				row.get("quantity", Integer.class), row.get("unit_price_minor", Long.class),
				row.get("line_total_minor", Long.class));
	}

	private static Payment payment(Readable row) {
		return new Payment(row.get("id", UUID.class), row.get("order_id", UUID.class),
				Payment.Kind.valueOf(row.get("kind", String.class)), row.get("amount_minor", Long.class),
				row.get("currency", String.class), Payment.Method.valueOf(row.get("method", String.class)),
				row.get("reference", String.class), row.get("created_at", OffsetDateTime.class).toInstant());
	}

}
