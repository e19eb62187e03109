ALTER TABLE orders
  ADD COLUMN ship_country CHAR(2)      NULL,
  ADD COLUMN ship_city    VARCHAR(100) NULL,
  ADD COLUMN ship_line1   VARCHAR(200) NULL;
