-- +goose Up
ALTER TABLE users ADD COLUMN name VARCHAR(100) NOT NULL DEFAULT '' AFTER email;

-- +goose Down
ALTER TABLE users DROP COLUMN name;
