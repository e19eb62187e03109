DROP TRIGGER comments_after_insert;
