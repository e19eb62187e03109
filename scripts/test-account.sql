-- The test account on every test server (scripts/test-env.sh): it may only touch databases named
-- schema_guard_*, which is all the dsn engine needs. (On MySQL with binary logging, creating
-- triggers and stored functions also needs the server's log_bin_trust_function_creators, which
-- test-env.sh sets, rather than SUPER.)
CREATE USER IF NOT EXISTS 'schema_guard'@'127.0.0.1' IDENTIFIED BY 'schema_guard';
GRANT ALL ON `schema\_guard\_%`.* TO 'schema_guard'@'127.0.0.1';
