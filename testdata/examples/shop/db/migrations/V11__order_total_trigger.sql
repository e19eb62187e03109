-- Keep orders.total_cents in step with its items.
DELIMITER //
CREATE TRIGGER trg_order_items_total AFTER INSERT ON order_items
FOR EACH ROW
BEGIN
  UPDATE orders
     SET total_cents = total_cents + NEW.quantity * NEW.price_cents
   WHERE id = NEW.order_id;
END //
DELIMITER ;
