CREATE TABLE products (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  sku          VARCHAR(32)     NOT NULL,
  name         VARCHAR(200)    NOT NULL,
  description  TEXT            NULL,
  price_cents  INT UNSIGNED    NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_products_sku (sku)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
