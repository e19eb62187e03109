-- Support search by name in the back office.
CREATE INDEX idx_customers_name ON customers (full_name(50));
