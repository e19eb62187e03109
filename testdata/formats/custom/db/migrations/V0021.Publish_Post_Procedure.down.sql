DROP PROCEDURE publish_post;
