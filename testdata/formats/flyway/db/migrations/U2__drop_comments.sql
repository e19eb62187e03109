-- Undo migration: Flyway runs it only on 'flyway undo'. Replayed forward it would drop
-- comments and make V3's trigger fail.
DROP TABLE comments;
