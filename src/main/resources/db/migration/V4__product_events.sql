-- A product as partner feeds show it: one compact JSON text, kept with the row (computed once
-- per change, by the trigger below) so that a full feed is a plain scan that copies text, and
-- the change events carry the very same text.
alter table products add column feed_json text;

create function products_feed_json() returns trigger language plpgsql as $$
begin
    new.feed_json := (select row_to_json(x)::text from (select
        new.id, new.vendor_id as "vendorId", new.category_id as "categoryId", new.sku, new.name, new.description,
        new.price_minor as "priceMinor", new.currency, new.stock, new.status, new.version,
        to_char(new.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "createdAt",
        to_char(new.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "updatedAt") x);
    return new;
end $$;

-- fires after products_version (triggers of one kind fire in name order), so the JSON has the new version
create trigger products_zz_feed_json
    before insert or update on products
    for each row execute function products_feed_json();

-- rows from before this migration (no version change: nothing about them changed)
alter table products disable trigger products_version;
update products set feed_json = null;
alter table products enable trigger products_version;
alter table products alter column feed_json set not null;

-- The outbox of product changes partners see. Written by a trigger, so in the same
-- transaction as the change whoever makes it (the API, an order reserving stock, an
-- operator's UPDATE). Events are read in (tx, seq) order, and only from transactions older
-- than every transaction still running: ids taken by a transaction that commits late can
-- never fall behind what a reader has already passed.
create table product_events (
    tx                   bigint      not null default pg_current_xact_id()::text::bigint,
    seq                  bigint      generated always as identity,
    type                 text        not null,
    product_id           uuid        not null,
    vendor_id            uuid        not null,
    category_id          uuid        not null,
    previous_category_id uuid,
    product              text        not null,
    created_at           timestamptz not null default now(),
    primary key (tx, seq)
);

create index product_events_created_idx on product_events (created_at);

-- Only changes a partner may see: products that are ACTIVE after the change, or were before
-- it (so that they learn to drop it). Drafts stay private.
create function products_outbox() returns trigger language plpgsql as $$
declare
    kind text;
begin
    if new.status <> 'ACTIVE' and (tg_op = 'INSERT' or old.status <> 'ACTIVE') then
        return null;
    end if;
    if tg_op = 'INSERT' then
        kind := 'product.created';
    elsif new.status = 'ARCHIVED' then
        kind := 'product.archived';
    elsif new.status <> old.status then
        kind := 'product.status_changed';
    elsif new.price_minor <> old.price_minor then
        kind := 'product.price_changed';
    elsif new.stock <> old.stock then
        kind := 'product.stock_changed';
    else
        kind := 'product.updated';
    end if;
    insert into product_events (type, product_id, vendor_id, category_id, previous_category_id, product)
    values (kind, new.id, new.vendor_id, new.category_id,
            case when tg_op = 'UPDATE' and old.category_id <> new.category_id then old.category_id end,
            new.feed_json);
    perform pg_notify('product_events', '');
    return null;
end $$;

create trigger products_outbox
    after insert or update on products
    for each row execute function products_outbox();

-- How far each outbox has been pruned: a reader resuming from before this point has
-- missed events and must start over from the full feed.
create table outbox_pruned (
    stream text   primary key,
    tx     bigint not null,
    seq    bigint not null
);
