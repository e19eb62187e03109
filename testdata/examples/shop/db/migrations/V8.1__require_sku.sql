-- Contract, once every product has a SKU (V8). DDL and DML stay in separate migrations: DDL
-- commits on its own, so a failure in a mixed one would leave it half applied.
ALTER TABLE products
  MODIFY sku VARCHAR(32) NOT NULL,
  ADD UNIQUE KEY uq_products_sku (sku);
