CREATE TABLE orders (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  customer_id   BIGINT UNSIGNED NOT NULL,
  status        ENUM('pending', 'paid', 'shipped', 'cancelled') NOT NULL DEFAULT 'pending',
  placed_at     DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
  total_cents   INT UNSIGNED    NOT NULL DEFAULT 0,
  ship_country  CHAR(2)         NULL,
  ship_city     VARCHAR(100)    NULL,
  ship_line1    VARCHAR(200)    NULL,
  PRIMARY KEY (id),
  KEY idx_orders_customer (customer_id, placed_at),
  KEY idx_orders_status (status),
  CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
