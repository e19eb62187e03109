-- V1.1 runs after V1 and before V1.2.
ALTER TABLE users ADD COLUMN name VARCHAR(100) NOT NULL DEFAULT '' AFTER email;
