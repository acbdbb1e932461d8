-- Accounts: one role each; vendors and retailers belong to an organization of their kind.
create table accounts (
    id                uuid primary key default gen_random_uuid(),
    email             text        not null check (char_length(email) between 3 and 254 and email = lower(email)),
    password_hash     text        not null,
    role              text        not null check (role in ('ADMIN', 'VENDOR', 'RETAILER', 'DELIVERY')),
    organization_id   uuid,
    -- the organization's kind must be the account's role (a VENDOR account in a VENDOR organization)
    organization_kind text generated always as (case when role in ('VENDOR', 'RETAILER') then role end) stored,
    status            text        not null default 'ACTIVE' check (status in ('ACTIVE', 'SUSPENDED')),
    created_at        timestamptz not null default now(),
    suspended_at      timestamptz,
    check ((role in ('VENDOR', 'RETAILER')) = (organization_id is not null)),
    foreign key (organization_id, organization_kind) references organizations (id, kind)
);

create unique index accounts_email_idx on accounts (email);
create index accounts_organization_idx on accounts (organization_id) where organization_id is not null;
create index accounts_created_idx on accounts (created_at desc, id desc);

-- API keys: only a SHA-256 of the secret is kept (the secret is 256 random bits, so a slow
-- hash would add nothing but latency); the prefix lets an owner recognise a key in a list.
create table api_keys (
    id          uuid primary key default gen_random_uuid(),
    account_id  uuid        not null references accounts (id),
    name        text        not null check (char_length(name) between 1 and 100),
    prefix      text        not null,
    secret_hash bytea       not null unique,
    scopes      text[]      not null check (cardinality(scopes) between 1 and 4
                                            and scopes <@ array['catalog:read', 'feed:read', 'orders:read', 'orders:write']),
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz
);

create index api_keys_account_idx on api_keys (account_id, created_at desc);
