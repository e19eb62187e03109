-- migrate:up
ALTER TABLE posts ADD COLUMN comment_count INT UNSIGNED NOT NULL DEFAULT 0;

-- migrate:down
ALTER TABLE posts DROP COLUMN comment_count;
