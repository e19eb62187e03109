-- Folders run in name order: "…_create_posts" before "…_create_posts-comment-count", although its path sorts after this one.
ALTER TABLE posts ADD COLUMN comment_count INT UNSIGNED NOT NULL DEFAULT 0;
