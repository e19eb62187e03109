-- The new release calls it display_name.
ALTER TABLE customers RENAME COLUMN full_name TO display_name;
