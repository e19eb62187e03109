-- V1.10 needs the posts table of V1.2; sorted as text it would run first and fail.
ALTER TABLE posts ADD COLUMN comment_count INT UNSIGNED NOT NULL DEFAULT 0;
