-- Every committed change to products, whoever makes it (the API, an order taking stock, a
-- cancellation giving it back, an operator's UPDATE), is notified to every instance as
-- "id:version" pairs, so that their in-process product caches drop older copies at once.
-- One statement, one notification (up to 150 rows per payload, well under PostgreSQL's
-- 8,000-byte limit): a batch of orders taking stock from a hot product is one message,
-- not one per order. Notifications are delivered at commit, never for a rollback.
create function products_changed_notify() returns trigger language plpgsql as $$
declare
    chunk text;
begin
    for chunk in
        select string_agg(c.id::text || ':' || c.version, ',')
        from (select id, version, (row_number() over () - 1) / 150 as part from changed) c
        group by c.part
    loop
        perform pg_notify('product_changes', chunk);
    end loop;
    return null;
end $$;

create trigger products_changed_notify
    after update on products
    referencing new table as changed
    for each statement execute function products_changed_notify();
