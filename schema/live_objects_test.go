package schema_test

// objectCases are differences in views, triggers and routines, renames, and objects that change
// kind.
var objectCases = []diffCase{
	{
		name: "views on views",
		a: []string{
			"CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT)",
			"CREATE VIEW v_base AS SELECT id, a FROM t",
			"CREATE VIEW v_top AS SELECT id FROM v_base WHERE a > 0",
			"CREATE VIEW v_gone AS SELECT 1 AS one",
			"CREATE VIEW v_opts AS SELECT id, a FROM t WHERE a > 0",
		},
		b: []string{
			"CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT)",
			"CREATE VIEW v_base AS SELECT id, a, b FROM t",
			"CREATE VIEW v_top AS SELECT id FROM v_base WHERE a > 0",
			"CREATE VIEW v_z_new AS SELECT id AS n FROM v_base",
			"CREATE VIEW v_a_new AS SELECT v_top.id, v_z_new.n FROM v_top JOIN v_z_new ON v_z_new.n = v_top.id",
			"CREATE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW v_opts AS SELECT id, a FROM t WHERE a > 0 WITH LOCAL CHECK OPTION",
		},
		want: []string{"view different v_base", "view extra v_gone", "view missing v_a_new", "view missing v_z_new",
			"view different v_opts"},
	},
	{
		name: "triggers",
		a: []string{
			"CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT)",
			"CREATE TABLE log (id INT AUTO_INCREMENT PRIMARY KEY, msg VARCHAR(100))",
			"CREATE TRIGGER t_bi_1 BEFORE INSERT ON t FOR EACH ROW SET NEW.a = COALESCE(NEW.a, 0)",
			"CREATE TRIGGER t_bi_2 BEFORE INSERT ON t FOR EACH ROW SET NEW.b = COALESCE(NEW.b, 0)",
			"CREATE TRIGGER t_bi_3 BEFORE INSERT ON t FOR EACH ROW SET NEW.b = NEW.b + 1",
			`CREATE TRIGGER t_au AFTER UPDATE ON t FOR EACH ROW BEGIN
				INSERT INTO log (msg) VALUES (CONCAT('updated ', NEW.id));
				IF NEW.a <> OLD.a THEN
					INSERT INTO log (msg) VALUES ('a changed');
				END IF;
			END`,
			"CREATE TRIGGER t_gone AFTER DELETE ON t FOR EACH ROW INSERT INTO log (msg) VALUES ('deleted')",
			"CREATE TRIGGER t_timing BEFORE DELETE ON t FOR EACH ROW SET @x = 1",
			"CREATE TRIGGER t_event AFTER INSERT ON t FOR EACH ROW SET @y = 1",
			"CREATE TRIGGER t_table AFTER INSERT ON log FOR EACH ROW SET @z = 1",
		},
		b: []string{
			"CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT)",
			"CREATE TABLE log (id INT AUTO_INCREMENT PRIMARY KEY, msg VARCHAR(100))",
			"CREATE TRIGGER t_bi_0 BEFORE INSERT ON t FOR EACH ROW SET NEW.id = NEW.id",
			"CREATE TRIGGER t_bi_2 BEFORE INSERT ON t FOR EACH ROW SET NEW.b = COALESCE(NEW.b, 0)",
			"CREATE TRIGGER t_bi_1 BEFORE INSERT ON t FOR EACH ROW SET NEW.a = COALESCE(NEW.a, 0)",
			"CREATE TRIGGER t_bi_new BEFORE INSERT ON t FOR EACH ROW SET NEW.a = NEW.a * 2",
			"CREATE TRIGGER t_bi_3 BEFORE INSERT ON t FOR EACH ROW SET NEW.b = NEW.b + 1",
			`CREATE TRIGGER t_au AFTER UPDATE ON t FOR EACH ROW BEGIN
				INSERT INTO log (msg) VALUES (CONCAT('updated #', NEW.id));
				IF NEW.a <> OLD.a THEN
					INSERT INTO log (msg) VALUES ('a changed');
				END IF;
			END`,
			"CREATE TRIGGER t_timing AFTER DELETE ON t FOR EACH ROW SET @x = 1",
			"CREATE TRIGGER t_event AFTER UPDATE ON t FOR EACH ROW FOLLOWS t_au SET @y = 1",
			"CREATE TRIGGER t_table AFTER INSERT ON t FOR EACH ROW SET @z = 1",
		},
		want: []string{"trigger missing t_bi_0", "trigger missing t_bi_new", "trigger different t_bi_2",
			"trigger different t_au", "trigger extra t_gone", "trigger different t_timing", "trigger different t_event",
			"trigger different t_table"},
	},
	{
		name: "routines",
		a: []string{
			"CREATE TABLE t (id INT PRIMARY KEY, a INT)",
			`CREATE PROCEDURE p_body(IN p_id INT)
			BEGIN
				DECLARE n INT DEFAULT 0;
				SELECT COUNT(*) INTO n FROM t WHERE id = p_id;
				IF n = 0 THEN
					INSERT INTO t (id, a) VALUES (p_id, 0);
				END IF;
			END`,
			"CREATE PROCEDURE p_params(IN a INT) SELECT a",
			"CREATE FUNCTION f_chars(x INT) RETURNS INT DETERMINISTIC RETURN x + 1",
			"CREATE FUNCTION f_gone() RETURNS INT RETURN 1",
			"CREATE FUNCTION f_ret(x INT) RETURNS INT RETURN x",
			"CREATE PROCEDURE r_kind() SELECT 1",
		},
		b: []string{
			"CREATE TABLE t (id INT PRIMARY KEY, a INT)",
			`CREATE PROCEDURE p_body(IN p_id INT)
			BEGIN
				DECLARE n INT DEFAULT 0;
				SELECT COUNT(*) INTO n FROM t WHERE id = p_id;
				IF n = 0 THEN
					INSERT INTO t (id, a) VALUES (p_id, 1);
				END IF;
			END`,
			"CREATE PROCEDURE p_params(IN a INT, OUT b VARCHAR(10)) SELECT a",
			"CREATE FUNCTION f_chars(x INT) RETURNS INT NO SQL SQL SECURITY INVOKER COMMENT 'adds one' RETURN x + 1",
			"CREATE FUNCTION f_ret(x INT) RETURNS BIGINT RETURN x",
			"CREATE FUNCTION f_new(s VARCHAR(10) CHARSET latin1) RETURNS VARCHAR(20) CHARSET latin1 DETERMINISTIC RETURN CONCAT(s, '!')",
			"CREATE VIEW v_calls AS SELECT f_new('x') AS s",
			"CREATE FUNCTION r_kind() RETURNS INT RETURN 1",
		},
		want: []string{"routine different p_body", "routine different p_params", "routine different f_chars",
			"routine extra f_gone", "routine different f_ret", "routine missing f_new", "view missing v_calls",
			"routine extra r_kind", "routine missing r_kind"},
	},
	{
		name: "renames with hints",
		hints: map[string]string{"customers": "clients", "customers.full_name": "name", "orders.total_cents": "total",
			"customers.contact": "mail", "orders.unrelated": "nothing"},
		a: []string{
			"CREATE TABLE clients (id INT PRIMARY KEY, name VARCHAR(50), email VARCHAR(100), mail VARCHAR(100) CHECK (mail LIKE '%@%'), CONSTRAINT chk_name CHECK (name <> ''))",
			`CREATE TABLE orders (id INT PRIMARY KEY, client_id INT, total INT,
				KEY idx_total (total),
				CONSTRAINT fk_client FOREIGN KEY (client_id) REFERENCES clients (id))`,
			"CREATE TRIGGER clients_bi BEFORE INSERT ON clients FOR EACH ROW SET NEW.email = LOWER(NEW.email)",
		},
		b: []string{
			"CREATE TABLE customers (id INT PRIMARY KEY, full_name VARCHAR(100), email VARCHAR(100), contact VARCHAR(100) CHECK (contact LIKE '%@%'), CONSTRAINT chk_name CHECK (full_name <> ''))",
			`CREATE TABLE orders (id INT PRIMARY KEY, client_id INT, total_cents INT,
				KEY idx_total (total_cents),
				CONSTRAINT fk_client FOREIGN KEY (client_id) REFERENCES customers (id))`,
			"CREATE TRIGGER clients_bi BEFORE INSERT ON customers FOR EACH ROW SET NEW.email = LOWER(NEW.email)",
		},
		want: []string{"table renamed customers (was clients)", "column renamed customers.full_name (was name)",
			"column renamed orders.total_cents (was total)", "column different customers.full_name",
			"column renamed customers.contact (was mail)"},
	},
	{
		// MySQL refuses RENAME COLUMN while a check, a generated column or a functional key part
		// uses the column; the script rebuilds them in the same statement. MariaDB rewrites them.
		name:  "renamed column that checks, generated columns and indexes use",
		hints: map[string]string{"t.qty": "n", "t.price_cents": "price"},
		a: []string{`CREATE TABLE t (id INT PRIMARY KEY, n INT, price INT,
			total INT AS (n * price) VIRTUAL, twice INT AS (n * 2) STORED,
			KEY k_total (total), CONSTRAINT chk_n CHECK (n >= 0), CHECK (price > 0))`},
		b: []string{`CREATE TABLE t (id INT PRIMARY KEY, qty INT, price_cents INT,
			total INT AS (qty * price_cents) VIRTUAL, twice INT AS (qty * 2) STORED,
			KEY k_total (total), CONSTRAINT chk_n CHECK (qty >= 0), CHECK (price_cents > 0))`},
		want: []string{"column renamed t.qty (was n)", "column renamed t.price_cents (was price)"},
		mysql: &diffCase{
			a: []string{`CREATE TABLE t (id INT PRIMARY KEY, n INT, price INT,
			total INT AS (n * price) VIRTUAL, twice INT AS (n * 2) STORED,
			KEY k_total (total), KEY k_expr ((n + price)), CONSTRAINT chk_n CHECK (n >= 0), CHECK (price > 0))`},
			b: []string{`CREATE TABLE t (id INT PRIMARY KEY, qty INT, price_cents INT,
			total INT AS (qty * price_cents) VIRTUAL, twice INT AS (qty * 2) STORED,
			KEY k_total (total), KEY k_expr ((qty + price_cents)), CONSTRAINT chk_n CHECK (qty >= 0), CHECK (price_cents > 0))`},
		},
	},
	{
		name:   "column rename on a server without RENAME COLUMN",
		hints:  map[string]string{"t.b": "a"},
		flavor: oldMariaDB,
		a:      []string{"CREATE TABLE t (id INT PRIMARY KEY, a INT NOT NULL DEFAULT 3 COMMENT 'kept', x INT)"},
		b:      []string{"CREATE TABLE t (id INT PRIMARY KEY, b BIGINT NOT NULL DEFAULT 3 COMMENT 'kept', x INT)"},
		want:   []string{"column renamed t.b (was a)", "column different t.b"},
	},
	{
		name: "object kinds swap: view becomes table",
		a: []string{
			"CREATE TABLE src (id INT PRIMARY KEY)",
			"CREATE VIEW thing AS SELECT id FROM src",
			"CREATE TABLE other (id INT PRIMARY KEY)",
		},
		b: []string{
			"CREATE TABLE src (id INT PRIMARY KEY)",
			"CREATE TABLE thing (id INT PRIMARY KEY)",
			"CREATE VIEW other AS SELECT id FROM src",
		},
		want: []string{"view extra thing", "table missing thing", "table extra other", "view missing other"},
	},
}

// equivalent are pairs of states that differ only in ways Diff must not report.
var equivalent = []diffCase{
	{
		name: "unnamed indexes created in another order",
		a:    []string{"CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, KEY (a, b), KEY (a))"},
		b:    []string{"CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, KEY (a), KEY (a, b))"},
	},
	{
		name: "unnamed checks and foreign keys created in another order",
		a: []string{
			"CREATE TABLE p (id INT PRIMARY KEY, u INT UNIQUE)",
			"CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, CHECK (a > 0), CHECK (b > 0), FOREIGN KEY (a) REFERENCES p (id), FOREIGN KEY (b) REFERENCES p (u))",
		},
		b: []string{
			"CREATE TABLE p (id INT PRIMARY KEY, u INT UNIQUE)",
			"CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, CHECK (b > 0), CHECK (a > 0), FOREIGN KEY (b) REFERENCES p (u), FOREIGN KEY (a) REFERENCES p (id))",
		},
	},
	{
		name: "named and unnamed check and foreign key",
		a: []string{
			"CREATE TABLE p (id INT PRIMARY KEY)",
			"CREATE TABLE t (id INT PRIMARY KEY, a INT, CONSTRAINT chk_a CHECK (a > 0), CONSTRAINT fk_a FOREIGN KEY (a) REFERENCES p (id))",
		},
		b: []string{
			"CREATE TABLE p (id INT PRIMARY KEY)",
			"CREATE TABLE t (id INT PRIMARY KEY, a INT, CHECK (a > 0), FOREIGN KEY (a) REFERENCES p (id))",
		},
	},
	{
		name: "foreign key index named by the server or by the team",
		a: []string{
			"CREATE TABLE p (id INT PRIMARY KEY)",
			"CREATE TABLE t (id INT PRIMARY KEY, pid INT, CONSTRAINT fk_p FOREIGN KEY (pid) REFERENCES p (id))",
		},
		b: []string{
			"CREATE TABLE p (id INT PRIMARY KEY)",
			"CREATE TABLE t (id INT PRIMARY KEY, pid INT, KEY idx_pid (pid), CONSTRAINT fk_p FOREIGN KEY (pid) REFERENCES p (id))",
		},
	},
	{
		name: "column-level and table-level checks, display widths",
		a: []string{`CREATE TABLE users (id INT(11) UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
			age INT CHECK (age >= 0), n TINYINT(1), z INT(5) ZEROFILL)`},
		b: []string{`CREATE TABLE users (id INT UNSIGNED NOT NULL AUTO_INCREMENT, age INT NULL, n BOOLEAN,
			z INT(5) UNSIGNED ZEROFILL, PRIMARY KEY (id), CHECK (age >= 0))`},
	},
	{
		name: "RESTRICT and NO ACTION",
		a: []string{
			"CREATE TABLE p (id INT PRIMARY KEY)",
			"CREATE TABLE t (id INT PRIMARY KEY, pid INT, CONSTRAINT fk FOREIGN KEY (pid) REFERENCES p (id) ON DELETE RESTRICT)",
		},
		b: []string{
			"CREATE TABLE p (id INT PRIMARY KEY)",
			"CREATE TABLE t (id INT PRIMARY KEY, pid INT, CONSTRAINT fk FOREIGN KEY (pid) REFERENCES p (id) ON DELETE NO ACTION ON UPDATE NO ACTION)",
		},
	},
	{
		name: "re-indented bodies, other definer spelling, auto_increment counter",
		a: []string{
			"CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, a INT) AUTO_INCREMENT=100",
			"CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; SET @s = 'a  b'; END",
			"CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 'x  y'; END",
			"CREATE VIEW v AS SELECT id FROM t",
		},
		b: []string{
			"CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, a INT)",
			"CREATE DEFINER = CURRENT_USER TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN\n    SET NEW.a = 1;\n    SET @s = 'a  b';\nEND",
			"CREATE PROCEDURE p()\nBEGIN\n\tSELECT 1;\n\tSELECT 'x  y';\nEND",
			"CREATE SQL SECURITY DEFINER VIEW v AS SELECT id FROM t",
		},
	},
}
