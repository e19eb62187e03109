-- Atlas's MySQL scanner reads BEGIN ... END as one statement.
CREATE PROCEDURE publish_post(IN p_post_id INT UNSIGNED)
BEGIN
  UPDATE posts SET published_at = NOW() WHERE id = p_post_id AND published_at IS NULL;
  SELECT ROW_COUNT() AS published;
END;
