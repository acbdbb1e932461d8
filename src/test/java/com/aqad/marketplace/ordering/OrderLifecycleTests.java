package com.aqad.marketplace.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import com.aqad.marketplace.identity.Role;
import com.aqad.marketplace.identity.TestAccounts;
import com.aqad.marketplace.identity.TestAccounts.SignedIn;
import com.aqad.marketplace.platform.devservices.ApiTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

@ApiTest
class OrderLifecycleTests {

	private static final List<String> STATES = List.of("PLACED", "CONFIRMED", "SHIPPED", "DELIVERED", "CANCELLED");

	private static final List<String> MOVES = List.of("confirm", "assign-delivery", "ship", "deliver", "cancel");

	/**
	 * The contract's state machine, written out independently of the code: each move, the
	 * states it starts from, the state it leads to and who may make it.
	 */
	private static final Map<String, Move> CONTRACT = Map.of("confirm",
			new Move(Set.of("PLACED"), "CONFIRMED", Set.of("owning vendor")), "assign-delivery",
			new Move(Set.of("CONFIRMED"), "CONFIRMED", Set.of("admin")), "ship",
			new Move(Set.of("CONFIRMED"), "SHIPPED", Set.of("assigned delivery")), "deliver",
			new Move(Set.of("SHIPPED"), "DELIVERED", Set.of("assigned delivery")), "cancel",
			new Move(Set.of("PLACED", "CONFIRMED"), "CANCELLED", Set.of("owning retailer", "owning vendor", "admin")));

	private record Move(Set<String> from, String to, Set<String> parties) {
	}

	@Autowired
	private WebTestClient http;

	@Autowired
	private DatabaseClient db;

	private Shop shop;

	private final Map<String, SignedIn> parties = new LinkedHashMap<>();

	@BeforeEach
	void everyone() {
		this.shop = new Shop(this.http, this.db);
		TestAccounts accounts = this.shop.accounts;
		this.parties.put("owning retailer", accounts.register(Role.RETAILER));
		this.parties.put("other retailer", accounts.register(Role.RETAILER));
		this.parties.put("owning vendor", this.shop.vendor);
		this.parties.put("other vendor", accounts.register(Role.VENDOR));
		this.parties.put("assigned delivery", accounts.create(Role.DELIVERY, null));
		this.parties.put("other delivery", accounts.create(Role.DELIVERY, null));
		this.parties.put("admin", accounts.admin());
	}

	@Test
	void everyMoveFromEveryStateByEveryParty() {
		UUID product = this.shop.product(100, 1_000_000);
		List<String> mismatches = new ArrayList<>();
		for (String state : STATES) {
			for (String move : MOVES) {
				for (Map.Entry<String, SignedIn> party : this.parties.entrySet()) {
					UUID order = orderIn(state, product);
					int stockBefore = this.shop.stock(product);
					Object body = move.equals("assign-delivery")
							? Map.of("deliveryPartnerId", this.parties.get("other delivery").accountId().toString())
							: null;
					WebTestClient.ResponseSpec response = this.shop.post(party.getValue(),
							"/api/v1/orders/" + order + "/" + move, body);
					int expected = expectedStatus(state, move, party.getKey());
					int actual = response.returnResult(String.class).getStatus().value();
					String now = status(order);
					String expectedState = (expected == 200) ? CONTRACT.get(move).to() : state;
					if (actual != expected || !now.equals(expectedState)) {
						mismatches.add(state + " " + move + " by " + party.getKey() + ": " + actual + " -> " + now
								+ ", expected " + expected + " -> " + expectedState);
					}
					int restored = (expected == 200 && move.equals("cancel")) ? 2 : 0;
					assertThat(this.shop.stock(product)).isEqualTo(stockBefore + restored);
				}
			}
		}
		assertThat(mismatches).isEmpty();
	}

	/**
	 * 404 when the party may not see the order, 403 when it may see it but not make the
	 * move, 409 when the state does not allow the move, 200 otherwise.
	 */
	private int expectedStatus(String state, String move, String party) {
		boolean assigned = !state.equals("PLACED");
		boolean sees = switch (party) {
			case "owning retailer", "owning vendor", "admin" -> true;
			case "assigned delivery" -> assigned;
			default -> false;
		};
		if (!sees) {
			return 404;
		}
		Move rule = CONTRACT.get(move);
		if (!rule.parties().contains(party)) {
			return 403;
		}
		return rule.from().contains(state) ? 200 : 409;
	}

	/**
	 * A fresh order of two units in {@code state}, written as the moves would leave it
	 * (assigned to "assigned delivery" from CONFIRMED on; stock taken unless cancelled).
	 */
	private UUID orderIn(String state, UUID product) {
		UUID id = UUID.randomUUID();
		boolean assigned = !state.equals("PLACED");
		var insert = this.db
			.sql("""
					with o as (
					    insert into orders (id, retailer_id, placed_by, vendor_id, status, delivery_partner_id, total_minor, currency)
					    values (:id, :retailer, :placedBy, :vendor, :status, :delivery, 200, 'EUR') returning id)
					insert into order_lines (order_id, line_no, product_id, name, quantity, unit_price_minor, line_total_minor)
					select id, 1, :product, 'Product 100', 2, 100, 200 from o""")
			.bind("id", id)
			.bind("retailer", this.parties.get("owning retailer").organizationId())
			.bind("placedBy", this.parties.get("owning retailer").accountId())
			.bind("vendor", this.shop.vendor.organizationId())
			.bind("status", state)
			.bind("product", product);
		(assigned ? insert.bind("delivery", this.parties.get("assigned delivery").accountId())
				: insert.bindNull("delivery", UUID.class))
			.then()
			.block();
		if (!state.equals("CANCELLED")) {
			this.db.sql("update products set stock = stock - 2 where id = :id").bind("id", product).then().block();
		}
		return id;
	}

	@Test
	void aPaidOrderIsRefundedWhenCancelled() {
		SignedIn retailer = this.parties.get("owning retailer");
		UUID product = this.shop.product(450, 10);
		JsonNode order = this.shop.placed(retailer, Shop.order(product, 2));
		String payments = "/api/v1/orders/" + order.get("id").stringValue() + "/payments";
		this.shop.post(retailer, payments, Map.of("amountMinor", 899, "method", "CARD"))
			.expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("amount_mismatch");
		this.shop.post(this.shop.vendor, payments, Map.of("amountMinor", 900, "method", "CARD"))
			.expectStatus()
			.isForbidden();
		this.shop.post(this.parties.get("other retailer"), payments, Map.of("amountMinor", 900, "method", "CARD"))
			.expectStatus()
			.isNotFound();
		this.shop.post(retailer, payments, Map.of("amountMinor", 900, "method", "BANK_TRANSFER", "reference", "INV-7"))
			.expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.kind")
			.isEqualTo("CAPTURE");
		this.shop.post(retailer, payments, Map.of("amountMinor", 900, "method", "CARD"))
			.expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("already_paid");
		this.shop.post(this.shop.vendor, "/api/v1/orders/" + order.get("id").stringValue() + "/cancel", null)
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.paymentStatus")
			.isEqualTo("REFUNDED");
		this.http.get()
			.uri(payments)
			.headers(retailer::bearer)
			.exchange()
			.expectBody()
			.jsonPath("$.items[*].kind")
			.value((kinds) -> assertThat(kinds.toString()).contains("CAPTURE", "REFUND"))
			.jsonPath("$.items[1].amountMinor")
			.isEqualTo(900);
		assertThat(this.shop.stock(product)).isEqualTo(10);
	}

	@Test
	void deliveryIsAssignedOnlyToActiveDeliveryAccounts() {
		SignedIn retailer = this.parties.get("owning retailer");
		UUID product = this.shop.product(100, 10);
		String id = this.shop.placed(retailer, Shop.order(product, 1)).get("id").stringValue();
		this.shop.post(this.shop.vendor, "/api/v1/orders/" + id + "/confirm", null).expectStatus().isOk();
		this.shop
			.post(this.parties.get("admin"), "/api/v1/orders/" + id + "/assign-delivery",
					Map.of("deliveryPartnerId", retailer.accountId().toString()))
			.expectStatus()
			.isBadRequest();
		this.shop
			.post(this.parties.get("admin"), "/api/v1/orders/" + id + "/assign-delivery",
					Map.of("deliveryPartnerId", this.parties.get("assigned delivery").accountId().toString()))
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.deliveryPartnerId")
			.isEqualTo(this.parties.get("assigned delivery").accountId().toString());
		SignedIn courier = this.parties.get("assigned delivery");
		this.shop.post(courier, "/api/v1/orders/" + id + "/ship", null).expectStatus().isOk();
		this.shop.post(courier, "/api/v1/orders/" + id + "/deliver", null)
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("DELIVERED");
	}

	private String status(UUID order) {
		return this.db.sql("select status from orders where id = :id")
			.bind("id", order)
			.map((row) -> row.get("status", String.class))
			.one()
			.block();
	}

}
