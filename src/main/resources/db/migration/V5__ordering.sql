create table orders (
    id                  uuid primary key default gen_random_uuid(),
    retailer_id         uuid        not null references organizations (id),
    placed_by           uuid        not null references accounts (id),
    vendor_id           uuid        not null references organizations (id),
    status              text        not null default 'PLACED'
                        check (status in ('PLACED', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED')),
    payment_status      text        not null default 'UNPAID' check (payment_status in ('UNPAID', 'PAID', 'REFUNDED')),
    delivery_partner_id uuid references accounts (id),
    total_minor         bigint      not null check (total_minor > 0),
    currency            char(3)     not null,
    note                text check (char_length(note) <= 1000),
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    -- shipping and delivering need someone to do them
    check (status not in ('SHIPPED', 'DELIVERED') or delivery_partner_id is not null),
    check (payment_status <> 'REFUNDED' or status = 'CANCELLED')
);

-- lists: each audience's newest first, and everything for administrators and exports
create index orders_retailer_idx on orders (retailer_id, created_at desc, id desc);
create index orders_vendor_idx on orders (vendor_id, created_at desc, id desc);
create index orders_delivery_idx on orders (delivery_partner_id, created_at desc, id desc)
    where delivery_partner_id is not null;
create index orders_created_idx on orders (created_at desc, id desc);

create table order_lines (
    order_id         uuid    not null references orders (id),
    line_no          integer not null,
    product_id       uuid    not null references products (id),
    name             text    not null,
    quantity         integer not null check (quantity between 1 and 10000),
    unit_price_minor bigint  not null check (unit_price_minor > 0),
    line_total_minor bigint  not null check (line_total_minor = unit_price_minor * quantity),
    primary key (order_id, line_no),
    unique (order_id, product_id)
);

create table payments (
    id           uuid primary key default gen_random_uuid(),
    order_id     uuid        not null references orders (id),
    kind         text        not null check (kind in ('CAPTURE', 'REFUND')),
    amount_minor bigint      not null check (amount_minor > 0),
    currency     char(3)     not null,
    method       text        not null check (method in ('BANK_TRANSFER', 'CARD', 'WALLET')),
    reference    text check (char_length(reference) <= 200),
    created_at   timestamptz not null default now()
);

-- an order is paid at most once and refunded at most once, whatever races
create unique index payments_one_capture_idx on payments (order_id) where kind = 'CAPTURE';
create unique index payments_one_refund_idx on payments (order_id) where kind = 'REFUND';
create index payments_order_idx on payments (order_id, created_at);

-- Idempotency-Key: one row per caller and key, claimed before the work starts and completed
-- in the same transaction as the work, so one key gives one order however many retries race.
create table idempotency_keys (
    account_id   uuid        not null,
    key          text        not null check (char_length(key) between 1 and 255),
    request_hash text        not null,
    -- while running: until when the claim holds (a crashed request's claim lapses)
    locked_until timestamptz,
    status       integer,
    body         text,
    location     text,
    order_id     uuid,
    created_at   timestamptz not null default now(),
    primary key (account_id, key)
);

create index idempotency_keys_created_idx on idempotency_keys (created_at);

-- The outbox of order events, read like product_events (see V4): in (tx, seq) order, below the
-- horizon of running transactions. Who may see an event is stored with it.
create table order_events (
    tx                  bigint      not null default pg_current_xact_id()::text::bigint,
    seq                 bigint      generated always as identity,
    type                text        not null,
    order_id            uuid        not null,
    retailer_id         uuid        not null,
    vendor_id           uuid        not null,
    delivery_partner_id uuid,
    payload             text        not null,
    created_at          timestamptz not null default now(),
    primary key (tx, seq)
);

create index order_events_created_idx on order_events (created_at);

create function order_events_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify('order_events', '');
    return null;
end $$;

create trigger order_events_notify
    after insert on order_events
    for each statement execute function order_events_notify();

-- Raised inside a statement to undo all of it: an order whose lines cannot all be reserved.
create function raise_insufficient_stock() returns boolean language plpgsql as $$
begin
    raise exception 'insufficient stock' using errcode = 'P0001', hint = 'insufficient_stock';
end $$;
