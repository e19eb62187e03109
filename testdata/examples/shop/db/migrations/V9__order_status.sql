ALTER TABLE orders
  ADD COLUMN status ENUM('pending', 'paid', 'shipped', 'cancelled') NOT NULL DEFAULT 'pending' AFTER customer_id,
  ADD KEY idx_orders_status (status);
