CREATE TABLE inventory (
  product_id  BIGINT UNSIGNED NOT NULL,
  warehouse   CHAR(3)         NOT NULL,
  on_hand     INT             NOT NULL DEFAULT 0,
  updated_at  TIMESTAMP       NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (product_id, warehouse),
  CONSTRAINT fk_inventory_product FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
