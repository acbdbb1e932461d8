-- The reservation transaction of one order, run raw by pgbench: lock the hot row, take a
-- unit, write the order, its line and its event (what POST /api/v1/orders does), commit.
BEGIN;
SELECT stock FROM products WHERE id = ':product' FOR UPDATE;
UPDATE products SET stock = stock - 1 WHERE id = ':product' AND stock >= 1;
INSERT INTO orders (id, retailer_id, placed_by, vendor_id, total_minor, currency)
  VALUES (gen_random_uuid(), ':retailer', ':account', ':vendor', 100, 'EUR') RETURNING id \gset
INSERT INTO order_lines (order_id, line_no, product_id, name, quantity, unit_price_minor, line_total_minor)
  VALUES (':id', 1, ':product', 'Flash item', 1, 100, 100);
INSERT INTO order_events (type, order_id, retailer_id, vendor_id, payload)
  VALUES ('order.created', ':id', ':retailer', ':vendor', '{}');
COMMIT;
