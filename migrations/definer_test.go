package migrations

import (
	"slices"
	"strings"
	"testing"
)

func TestStripDefiner(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"trigger backquoted",
			"CREATE DEFINER=`root`@`%` TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET NEW.x = 1",
			"CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET NEW.x = 1"},
		{"procedure single quotes and spaces",
			"CREATE DEFINER = 'app'@'10.0.%' PROCEDURE p() BEGIN SELECT 1; END",
			"CREATE PROCEDURE p() BEGIN SELECT 1; END"},
		{"function double quotes",
			"CREATE DEFINER=\"app\"@\"localhost\" FUNCTION f() RETURNS INT RETURN 1",
			"CREATE FUNCTION f() RETURNS INT RETURN 1"},
		{"bare user and host",
			"create definer=root@localhost event e on schedule every 1 day do select 1",
			"create event e on schedule every 1 day do select 1"},
		{"bare dotted host",
			"CREATE DEFINER=deploy@127.0.0.1 PROCEDURE p() SELECT 1",
			"CREATE PROCEDURE p() SELECT 1"},
		{"spaces around @",
			"CREATE DEFINER = 'a' @ 'b' TRIGGER t AFTER UPDATE ON x FOR EACH ROW DO 1",
			"CREATE TRIGGER t AFTER UPDATE ON x FOR EACH ROW DO 1"},
		{"user without host (a MariaDB role)",
			"CREATE DEFINER=admin_role VIEW v AS SELECT 1",
			"CREATE VIEW v AS SELECT 1"},
		{"current_user",
			"CREATE DEFINER = CURRENT_USER TRIGGER t BEFORE DELETE ON a FOR EACH ROW SET @x = 1",
			"CREATE TRIGGER t BEFORE DELETE ON a FOR EACH ROW SET @x = 1"},
		{"current_user()",
			"CREATE OR REPLACE DEFINER=current_user() VIEW v AS SELECT 1",
			"CREATE OR REPLACE VIEW v AS SELECT 1"},
		{"view with algorithm and security",
			"CREATE ALGORITHM=MERGE DEFINER=`a`@`b` SQL SECURITY INVOKER VIEW v AS SELECT 1",
			"CREATE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW v AS SELECT 1"},
		{"definer on its own line",
			"CREATE\n  DEFINER=`root`@`localhost`\n  PROCEDURE p()\nBEGIN\n  SELECT 1;\nEND",
			"CREATE\n  PROCEDURE p()\nBEGIN\n  SELECT 1;\nEND"},
		{"mysqldump view",
			"/*!50001 CREATE ALGORITHM=UNDEFINED */\n/*!50013 DEFINER=`root`@`%` SQL SECURITY DEFINER */\n/*!50001 VIEW `v` AS select 1 AS `a` */",
			"/*!50001 CREATE ALGORITHM=UNDEFINED */\n/*!50013 SQL SECURITY DEFINER */\n/*!50001 VIEW `v` AS select 1 AS `a` */"},
		{"mysqldump trigger",
			"/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `t` BEFORE INSERT ON `a` FOR EACH ROW BEGIN\n  SET NEW.x = 1;\nEND */",
			"/*!50003 CREATE*/ /*!50003 TRIGGER `t` BEFORE INSERT ON `a` FOR EACH ROW BEGIN\n  SET NEW.x = 1;\nEND */"},
		{"mysqldump event",
			"/*!50106 CREATE*/ /*!50117 DEFINER=`root`@`localhost`*/ /*!50106 EVENT `e` ON SCHEDULE EVERY 1 DAY DO DELETE FROM t */",
			"/*!50106 CREATE*/ /*!50106 EVENT `e` ON SCHEDULE EVERY 1 DAY DO DELETE FROM t */"},
		{"emptied comment between words without spaces",
			"CREATE/*!50017 DEFINER=`a`@`b`*/TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET @x=1",
			"CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET @x=1"},
		{"definer last in its comment",
			"/*!50001 CREATE SQL SECURITY INVOKER DEFINER=`a`@`b`*/ VIEW v AS SELECT 1",
			"/*!50001 CREATE SQL SECURITY INVOKER */ VIEW v AS SELECT 1"},
		{"comments in the header",
			"CREATE /* why */ DEFINER=`a`@`b` -- note\n TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET @x=1",
			"CREATE /* why */ -- note\n TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET @x=1"},
		{"quoted host holding */",
			"/*!50017 DEFINER=`a`@`x*/y`*/ CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET @x=1",
			"/*!50017 DEFINER=`a`@`x*/y`*/ CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET @x=1"},
		// Unchanged.
		{"no definer", "CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET NEW.definer = 'x'",
			"CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET NEW.definer = 'x'"},
		{"definer in the body only",
			"CREATE PROCEDURE p() BEGIN CREATE DEFINER=`a`@`b` VIEW v AS SELECT 1; END",
			"CREATE PROCEDURE p() BEGIN CREATE DEFINER=`a`@`b` VIEW v AS SELECT 1; END"},
		{"table", "CREATE TABLE definer (definer INT)", "CREATE TABLE definer (definer INT)"},
		{"alter view", "ALTER DEFINER=`a`@`b` VIEW v AS SELECT 1", "ALTER DEFINER=`a`@`b` VIEW v AS SELECT 1"},
		{"select", "SELECT 'DEFINER=`a`@`b`'", "SELECT 'DEFINER=`a`@`b`'"},
		{"definer without user", "CREATE DEFINER= VIEW v AS SELECT 1", "CREATE DEFINER= VIEW v AS SELECT 1"},
		{"unterminated quote", "CREATE DEFINER=`a", "CREATE DEFINER=`a"},
		{"empty", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := StripDefiner(tc.in); got != tc.want {
				t.Errorf("StripDefiner(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestReadHeader(t *testing.T) {
	cases := []struct {
		in        string
		verb      string
		kind      string
		names     []string
		orReplace bool
		temporary bool
		ok        bool
	}{
		{"CREATE TABLE `Users` (id INT)", "create", "table", []string{"Users"}, false, false, true},
		{"CREATE TABLE IF NOT EXISTS shop.users (id INT)", "create", "table", []string{"users"}, false, false, true},
		{"CREATE OR REPLACE TEMPORARY TABLE t (a INT)", "create", "table", []string{"t"}, true, true, true},
		{"/*!50001 CREATE TABLE `v` (\n `a` tinyint NOT NULL\n) ENGINE=MyISAM */", "create", "table", []string{"v"}, false, false, true},
		{"/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`%`*/ /*!50003 TRIGGER `db`.`t_ai` AFTER INSERT ON x FOR EACH ROW SET @a=1 */",
			"create", "trigger", []string{"t_ai"}, false, false, true},
		{"CREATE DEFINER='a'@'b' TRIGGER IF NOT EXISTS trg BEFORE INSERT ON x FOR EACH ROW SET @a=1", "create", "trigger", []string{"trg"}, false, false, true},
		{"CREATE OR REPLACE DEFINER=CURRENT_USER() AGGREGATE FUNCTION agg(x INT) RETURNS INT BEGIN RETURN 1; END",
			"create", "function", []string{"agg"}, true, false, true},
		{"create procedure \"p\"() select 1", "create", "procedure", []string{"p"}, false, false, true},
		{"/*!50001 CREATE ALGORITHM=UNDEFINED */\n/*!50013 DEFINER=`root`@`%` SQL SECURITY DEFINER */\n/*!50001 VIEW `v` AS select 1 */",
			"create", "view", []string{"v"}, false, false, true},
		{"CREATE UNIQUE INDEX ix ON t (a)", "create", "index", []string{"ix"}, false, false, true},
		{"DROP TABLE IF EXISTS `a`, b.c", "drop", "table", []string{"a", "c"}, false, false, true},
		{"/*!50001 DROP VIEW IF EXISTS `v`*/", "drop", "view", []string{"v"}, false, false, true},
		{"/*!50003 DROP FUNCTION IF EXISTS `f` */", "drop", "function", []string{"f"}, false, false, true},
		{"DROP TEMPORARY TABLE t", "drop", "table", []string{"t"}, false, true, true},
		{"INSERT LOW_PRIORITY IGNORE INTO `t` VALUES (1)", "insert", "table", []string{"t"}, false, false, true},
		{"REPLACE t SET a = 1", "replace", "table", []string{"t"}, false, false, true},
		{"-- c\n# d\n/* e */ CREATE VIEW v AS SELECT 1", "create", "view", []string{"v"}, false, false, true},
		{"SELECT 1", "select", "", nil, false, false, false},
		{"CREATE", "create", "", nil, false, false, false},
		{"CREATE TABLE", "create", "table", nil, false, false, false},
		{"DROP TABLE IF", "drop", "table", nil, false, false, false},
		{"CREATE DEFINER TRIGGER t", "create", "", nil, false, false, false},
		{"CREATE TABLE `unterminated", "create", "table", nil, false, false, false},
	}
	for _, tc := range cases {
		h, ok := ReadHeader(tc.in)
		if ok != tc.ok || h.Verb != tc.verb || h.Kind != tc.kind || !slices.Equal(h.Names, tc.names) ||
			h.OrReplace != tc.orReplace || h.Temporary != tc.temporary {
			t.Errorf("ReadHeader(%q) = %+v, %v\nwant verb %q kind %q names %q or-replace %v temporary %v, %v",
				tc.in, h, ok, tc.verb, tc.kind, tc.names, tc.orReplace, tc.temporary, tc.ok)
		}
	}
}

func FuzzStripDefiner(f *testing.F) {
	for _, s := range []string{
		"CREATE DEFINER=`root`@`%` TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET NEW.x = 1",
		"/*!50001 CREATE ALGORITHM=UNDEFINED */\n/*!50013 DEFINER=`root`@`%` SQL SECURITY DEFINER */\n/*!50001 VIEW `v` AS select 1 */",
		"/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `t` BEFORE INSERT ON `a` FOR EACH ROW SET @x=1 */",
		"CREATE DEFINER = CURRENT_USER() PROCEDURE p() SELECT 1", "CREATE DEFINER=a@b.c-d%e VIEW v AS SELECT 1",
		"CREATE/*!50017 DEFINER=`a`@`b`*/TRIGGER t", "CREATE DEFINER='a'@'b' DEFINER='c'@'d' VIEW v AS SELECT 1",
		"/*!50017 DEFINER=`a`@`x*/y`*/", "CREATE DEFINER=`a", "/*!", "/*M!100100 CREATE DEFINER=x@y VIEW v AS SELECT 1*/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		out := StripDefiner(sql)
		if len(out) > len(sql) {
			t.Fatalf("StripDefiner(%q) = %q is longer", sql, out)
		}
		if !strings.Contains(strings.ToLower(sql), "definer") && out != sql {
			t.Fatalf("StripDefiner(%q) = %q changed a statement without DEFINER", sql, out)
		}
		if again := StripDefiner(out); again != out {
			t.Fatalf("StripDefiner is not idempotent on %q: %q then %q", sql, out, again)
		}
		if out != sql {
			// What was removed was a DEFINER clause of a header that still reads the same.
			before, _ := ReadHeader(sql)
			after, ok := ReadHeader(out)
			if !ok || after.Kind != before.Kind || !slices.Equal(after.Names, before.Names) || after.definer != (span{}) {
				t.Fatalf("StripDefiner(%q) = %q: header %+v became %+v, %v", sql, out, before, after, ok)
			}
		}
	})
}

func TestReadHeaderTriggerTable(t *testing.T) {
	for in, want := range map[string]string{
		"CREATE TRIGGER t BEFORE INSERT ON orders FOR EACH ROW SET NEW.a = 1":                                              "orders",
		"CREATE DEFINER=`a`@`%` TRIGGER `t` AFTER UPDATE ON `shop`.`Orders` FOR EACH ROW BEGIN END":                        "Orders",
		"/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`%`*/ /*!50003 TRIGGER t_ai AFTER DELETE ON x FOR EACH ROW SET @a=1 */": "x",
		"CREATE TRIGGER t BEFORE INSERT": "",
		"CREATE TABLE orders (a INT)":    "",
	} {
		if h, _ := ReadHeader(in); h.On != want {
			t.Errorf("ReadHeader(%q).On = %q, want %q", in, h.On, want)
		}
	}
}
