-- The rate-limit tier of an account: which bucket sizes its policies use (aqad.ratelimit.policies.*.tiers).
alter table accounts
    add column tier text not null default 'free' check (tier ~ '^[a-z0-9][a-z0-9_-]{0,39}$');
