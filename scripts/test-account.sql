-- The test account on every test server (scripts/test-env.sh): it may only touch databases named
-- schema_guard_*, which is all the dsn engine needs. (On MySQL with binary logging, creating
-- triggers and stored functions also needs the server's log_bin_trust_function_creators, which
-- test-env.sh sets, rather than SUPER.)
CREATE USER IF NOT EXISTS 'schema_guard'@'127.0.0.1' IDENTIFIED BY 'schema_guard';
GRANT ALL ON `schema\_guard\_%`.* TO 'schema_guard'@'127.0.0.1';
-- The documented least-privilege account (README, Security): it may create each run's account.
CREATE USER IF NOT EXISTS 'schema_guard_admin'@'127.0.0.1' IDENTIFIED BY 'schema_guard_admin';
GRANT CREATE USER ON *.* TO 'schema_guard_admin'@'127.0.0.1';
GRANT ALL ON `schema\_guard\_%`.* TO 'schema_guard_admin'@'127.0.0.1' WITH GRANT OPTION;
-- What a CI service container's root looks like to schema-guard, for the sandbox tests.
CREATE USER IF NOT EXISTS 'schema_guard_root'@'127.0.0.1' IDENTIFIED BY 'schema_guard_root';
GRANT ALL ON *.* TO 'schema_guard_root'@'127.0.0.1' WITH GRANT OPTION;
