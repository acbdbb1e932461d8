-- Organizations: vendors list products, retailers place orders.
create table organizations (
    id         uuid primary key default gen_random_uuid(),
    name       text        not null check (char_length(name) between 1 and 200),
    kind       text        not null check (kind in ('VENDOR', 'RETAILER')),
    created_at timestamptz not null default now(),
    -- lets products reference (id, kind) so that only a VENDOR can own a product
    unique (id, kind)
);

create table categories (
    id         uuid primary key default gen_random_uuid(),
    name       text        not null check (char_length(name) between 1 and 100),
    slug       text        not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and char_length(slug) <= 100),
    parent_id  uuid references categories (id),
    created_at timestamptz not null default now(),
    check (parent_id is null or parent_id <> id)
);

create index categories_parent_idx on categories (parent_id);

create table products (
    id           uuid primary key default gen_random_uuid(),
    vendor_id    uuid        not null,
    vendor_kind  text        not null default 'VENDOR' check (vendor_kind = 'VENDOR'),
    category_id  uuid        not null references categories (id),
    sku          text        not null check (sku ~ '^[A-Za-z0-9._-]{1,64}$'),
    name         text        not null check (char_length(name) between 1 and 200),
    description  text        not null default '' check (char_length(description) <= 5000),
    price_minor  bigint      not null check (price_minor between 1 and 1000000000000),
    currency     char(3)     not null check (currency ~ '^[A-Z]{3}$'),
    stock        integer     not null check (stock between 0 and 1000000000),
    status       text        not null default 'ACTIVE' check (status in ('DRAFT', 'ACTIVE', 'ARCHIVED')),
    version      bigint      not null default 0,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    search       tsvector generated always as (
                     setweight(to_tsvector('english', name), 'A') ||
                     setweight(to_tsvector('english', coalesce(description, '')), 'B')) stored,
    foreign key (vendor_id, vendor_kind) references organizations (id, kind),
    unique (vendor_id, sku)
);

-- Every change to a product, whoever makes it, moves its version forward. Caches and
-- ETags rely on this: a representation with a higher version is always the newer one.
create function products_bump_version() returns trigger language plpgsql as $$
begin
    new.version := old.version + 1;
    new.updated_at := greatest(now(), old.updated_at);
    return new;
end $$;

create trigger products_version
    before update on products
    for each row execute function products_bump_version();

-- Public lists show ACTIVE products only: every list index is partial on that.
-- sort=newest (default), alone and per filter
create index products_newest_idx on products (created_at desc, id desc) where status = 'ACTIVE';
create index products_category_newest_idx on products (category_id, created_at desc, id desc) where status = 'ACTIVE';
create index products_vendor_newest_idx on products (vendor_id, created_at desc, id desc) where status = 'ACTIVE';
-- sort=price_asc / price_desc (the same index read backwards), alone and per filter
create index products_price_idx on products (price_minor, id) where status = 'ACTIVE';
create index products_category_price_idx on products (category_id, price_minor, id) where status = 'ACTIVE';
create index products_vendor_price_idx on products (vendor_id, price_minor, id) where status = 'ACTIVE';
-- q= full text
create index products_search_idx on products using gin (search) where status = 'ACTIVE';
