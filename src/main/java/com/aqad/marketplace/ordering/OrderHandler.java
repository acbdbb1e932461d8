package com.aqad.marketplace.ordering;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.aqad.marketplace.identity.Caller;
import com.aqad.marketplace.platform.outbox.EventId;
import com.aqad.marketplace.platform.web.ApiException;
import com.aqad.marketplace.platform.outbox.EventStreams;
import com.aqad.marketplace.platform.web.Ids;
import com.aqad.marketplace.platform.web.QueryParameters;
import com.aqad.marketplace.platform.web.StreamingBodies;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Orders, their moves, payments, export and live events: validated input in, JSON out.
 */
@Component
class OrderHandler {

	static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	static final String REPLAYED = "Idempotent-Replayed";

	private final OrderService orders;

	private final OrderQueries queries;

	private final IdempotencyKeys idempotency;

	private final OrderingProperties properties;

	private final JsonMapper json;

	private final OrderMeters meters;

	OrderHandler(OrderService orders, OrderQueries queries, IdempotencyKeys idempotency, OrderingProperties properties,
			JsonMapper json, OrderMeters meters) {
		this.meters = meters;
		this.orders = orders;
		this.queries = queries;
		this.idempotency = idempotency;
		this.properties = properties;
		this.json = json;
	}

	Mono<ServerResponse> place(ServerRequest request) {
		String key = request.headers().firstHeader(IDEMPOTENCY_KEY);
		return body(request).map(OrderInput::placeOrder)
			.zipWith(Caller.current())
			.flatMap((in) -> this.idempotency.once(in.getT2().accountId(), key, in.getT1().canonical(),
					(claim) -> this.orders.place(in.getT2(), in.getT1(), claim).map(this::created),
					(orderId) -> this.orders.find(in.getT2(), orderId).map(this::created)))
			.doOnNext((reply) -> countReplay(reply, "order"))
			.flatMap(OrderHandler::reply);
	}

	Mono<ServerResponse> list(ServerRequest request) {
		QueryParameters in = new QueryParameters(request.queryParams(), Set.of("status", "limit", "cursor"));
		OrderStatus status = in.oneOf("status", OrderStatus.class);
		int limit = in.limit(this.properties.defaultPageSize(), this.properties.maxPageSize());
		String cursorValue = in.single("cursor");
		OrderCursor after = null;
		if (cursorValue != null) {
			after = OrderCursor.decode(cursorValue).orElse(null);
			if (after == null) {
				in.problem("cursor", "is not a cursor of this list; start again without it");
			}
		}
		in.verify();
		OrderCursor cursor = after;
		return Caller.current()
			.flatMap((caller) -> this.queries.list(caller, status, cursor, limit))
			.flatMap((page) -> json(page));
	}

	Mono<ServerResponse> get(ServerRequest request) {
		UUID id = orderId(request);
		return Caller.current().flatMap((caller) -> this.orders.find(caller, id)).flatMap(this::json);
	}

	/**
	 * {@code POST /orders/{id}/confirm|ship|deliver|cancel}.
	 */
	Mono<ServerResponse> move(ServerRequest request, Transition transition) {
		UUID id = orderId(request);
		return Caller.current().flatMap((caller) -> this.orders.move(caller, id, transition)).flatMap(this::json);
	}

	Mono<ServerResponse> assignDelivery(ServerRequest request) {
		UUID id = orderId(request);
		return body(request).map(OrderInput::deliveryPartner)
			.zipWith(Caller.current())
			.flatMap((in) -> this.orders.assignDelivery(in.getT2(), id, in.getT1()))
			.flatMap(this::json);
	}

	Mono<ServerResponse> pay(ServerRequest request) {
		UUID id = orderId(request);
		String key = request.headers().firstHeader(IDEMPOTENCY_KEY);
		return body(request).map(OrderInput::pay)
			.zipWith(Caller.current())
			.flatMap((in) -> this.idempotency.once(in.getT2().accountId(), key, in.getT1().canonical(id),
					(claim) -> this.orders.pay(in.getT2(), id, in.getT1(), claim).map(this::paid),
					(ignored) -> this.orders.capture(id).map(this::paid)))
			.doOnNext((reply) -> countReplay(reply, "payment"))
			.flatMap(OrderHandler::reply);
	}

	Mono<ServerResponse> payments(ServerRequest request) {
		UUID id = orderId(request);
		return Caller.current()
			.flatMap((caller) -> this.orders.payments(caller, id))
			.flatMap((payments) -> json(Map.of("items", payments)));
	}

	Mono<ServerResponse> export(ServerRequest request) {
		QueryParameters in = new QueryParameters(request.queryParams(), Set.of("from", "to"));
		Instant from = in.instant("from");
		Instant to = in.instant("to");
		if (from != null && to != null && !from.isBefore(to)) {
			in.problem("from", "must be before to");
		}
		in.verify();
		return Caller.current()
			.flatMap((caller) -> ServerResponse.ok()
				.contentType(MediaType.APPLICATION_NDJSON)
				.cacheControl(CacheControl.noStore())
				.body(StreamingBodies.ndjson(this.queries.export(caller, from, to), 128)));
	}

	Mono<ServerResponse> events(ServerRequest request) {
		new QueryParameters(request.queryParams(), Set.of()).verify();
		EventId from = EventId.lastEventId(request);
		OrderingProperties.Events settings = this.properties.events();
		return Caller.current()
			.flatMap((caller) -> this.queries.events(caller, from))
			.flatMap(
					(events) -> EventStreams.ok(events, settings.heartbeat(), settings.pollInterval().multipliedBy(2)));
	}

	private IdempotencyKeys.Reply created(Order order) {
		return new IdempotencyKeys.Reply(201, this.json.writeValueAsString(order), "/api/v1/orders/" + order.id(),
				false);
	}

	private IdempotencyKeys.Reply paid(Payment payment) {
		return new IdempotencyKeys.Reply(201, this.json.writeValueAsString(payment),
				"/api/v1/orders/" + payment.orderId() + "/payments", false);
	}

	private void countReplay(IdempotencyKeys.Reply reply, String request) {
		if (reply.replayed()) {
			this.meters.replayed(request);
		}
	}

	private static Mono<ServerResponse> reply(IdempotencyKeys.Reply reply) {
		ServerResponse.BodyBuilder response = ServerResponse.status(reply.status())
			.contentType(MediaType.APPLICATION_JSON);
		if (reply.location() != null) {
			response = response.location(URI.create(reply.location()));
		}
		if (reply.replayed()) {
			response = response.header(REPLAYED, "true");
		}
		return response.bodyValue(reply.body());
	}

	private Mono<ServerResponse> json(Object body) {
		return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(body);
	}

	private static Mono<JsonNode> body(ServerRequest request) {
		return request.bodyToMono(JsonNode.class).switchIfEmpty(Mono.error(ApiException::missingBody));
	}

	private static UUID orderId(ServerRequest request) {
		return Ids.parse(request.pathVariable("id")).orElseThrow(OrderService::notFound);
	}

}
