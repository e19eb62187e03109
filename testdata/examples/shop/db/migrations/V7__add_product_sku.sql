-- Expand: the column is nullable until every product has a SKU (backfilled by V8).
ALTER TABLE products ADD COLUMN sku VARCHAR(32) NULL AFTER id;
