-- +goose Up
ALTER TABLE posts ADD COLUMN comment_count INT UNSIGNED NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE posts DROP COLUMN comment_count;
