--liquibase formatted sql

--changeset carol:view runOnChange:true
CREATE OR REPLACE VIEW published_posts AS
SELECT p.id, p.title, u.name AS author, p.published_at, p.comment_count
FROM posts p
JOIN users u ON u.id = p.user_id
WHERE p.published_at IS NOT NULL;

--changeset carol:trigger splitStatements:false
CREATE TRIGGER comments_after_insert
AFTER INSERT ON comments
FOR EACH ROW
BEGIN
  UPDATE posts SET comment_count = comment_count + 1 WHERE id = NEW.post_id;
END;
--rollback DROP TRIGGER comments_after_insert;

--changeset carol:procedure endDelimiter://
CREATE PROCEDURE publish_post(IN p_post_id INT UNSIGNED)
BEGIN
  UPDATE posts SET published_at = NOW() WHERE id = p_post_id AND published_at IS NULL;
  SELECT ROW_COUNT() AS published;
END
//
--rollback DROP PROCEDURE publish_post;
