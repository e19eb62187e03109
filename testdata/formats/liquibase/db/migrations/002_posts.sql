--liquibase formatted sql

--changeset bob:posts-1
CREATE TABLE posts (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  user_id INT UNSIGNED NOT NULL,
  title VARCHAR(200) NOT NULL,
  body TEXT NOT NULL,
  published_at DATETIME NULL,
  PRIMARY KEY (id),
  KEY idx_posts_user (user_id),
  CONSTRAINT fk_posts_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/* liquibase rollback
DROP TABLE posts;
*/

--changeset bob:posts-pg dbms:postgresql
CREATE INDEX CONCURRENTLY idx_posts_title ON posts USING gin (title);

--changeset bob:posts-2
ALTER TABLE posts ADD COLUMN comment_count INT UNSIGNED NOT NULL DEFAULT 0;
--rollback ALTER TABLE posts DROP COLUMN comment_count;
