-- Repeatable: re-created whenever this file changes.
CREATE OR REPLACE VIEW customer_order_totals AS
SELECT c.id AS customer_id, c.email, COUNT(o.id) AS orders, COALESCE(SUM(o.total_cents), 0) AS total_cents
  FROM customers c
  LEFT JOIN orders o ON o.customer_id = c.id
 GROUP BY c.id, c.email;
