-- migrate:up
ALTER TABLE users ADD COLUMN name VARCHAR(100) NOT NULL DEFAULT '' AFTER email;

-- migrate:down
ALTER TABLE users DROP COLUMN name;
