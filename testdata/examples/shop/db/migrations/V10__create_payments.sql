CREATE TABLE payments (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  order_id      BIGINT UNSIGNED NOT NULL,
  amount_cents  INT UNSIGNED    NOT NULL,
  provider      VARCHAR(32)     NOT NULL COMMENT 'payment service provider id',
  captured_at   DATETIME(3)     NULL,
  PRIMARY KEY (id),
  KEY idx_payments_order (order_id),
  CONSTRAINT fk_payments_order FOREIGN KEY (order_id) REFERENCES orders (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='one row per capture attempt';
