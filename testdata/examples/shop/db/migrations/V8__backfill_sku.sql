UPDATE products SET sku = CONCAT('LEGACY-', id) WHERE sku IS NULL;

ALTER TABLE products
  MODIFY sku VARCHAR(32) NOT NULL,
  ADD UNIQUE KEY uq_products_sku (sku);
