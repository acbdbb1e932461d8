-- Each request that claims an Idempotency-Key gets its own claim token. The order statement
-- places the order only while its request's claim still holds (the key row locked for
-- update), so a request abandoned by its client can give its key back at once: a retry
-- that takes the key over can never lead to a second order.
alter table idempotency_keys add column claim uuid;
