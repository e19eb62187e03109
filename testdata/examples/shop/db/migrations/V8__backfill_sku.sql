UPDATE products SET sku = CONCAT('LEGACY-', id) WHERE sku IS NULL;
