CREATE TABLE order_items (
  order_id     BIGINT UNSIGNED NOT NULL,
  product_id   BIGINT UNSIGNED NOT NULL,
  quantity     INT UNSIGNED    NOT NULL,
  price_cents  INT UNSIGNED    NOT NULL,
  PRIMARY KEY (order_id, product_id),
  KEY idx_order_items_product (product_id),
  CONSTRAINT fk_order_items_order FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE,
  CONSTRAINT fk_order_items_product FOREIGN KEY (product_id) REFERENCES products (id),
  CONSTRAINT chk_order_items_quantity CHECK (quantity > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

DELIMITER //
CREATE TRIGGER trg_order_items_total AFTER INSERT ON order_items
FOR EACH ROW
BEGIN
  UPDATE orders
     SET total_cents = total_cents + NEW.quantity * NEW.price_cents
   WHERE id = NEW.order_id;
END //
DELIMITER ;
