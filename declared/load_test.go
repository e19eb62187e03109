package declared

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// objects renders a State's Objects as "kind name" → "file:line:col", for comparing.
func objects(st *State) map[string]string {
	out := map[string]string{}
	for k, p := range st.Objects {
		out[k.Kind+" "+k.Name] = fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
	}
	return out
}

func seeds(st *State) map[string]string {
	out := map[string]string{}
	for t, p := range st.Seeds {
		out[t] = fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
	}
	return out
}

func mapFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, content := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(content)}
	}
	return fsys
}

func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type loadCase struct {
	name    string
	files   map[string]string
	path    string
	objects map[string]string // every object, exactly
	seeds   map[string]string
	renamed map[string]string
	stmts   int // the number of statements, when not 0
}

func runLoadCases(t *testing.T, cases []loadCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st, err := Load(mapFS(tc.files), tc.path)
			if err != nil {
				t.Fatal(err)
			}
			if st.Path != tc.path {
				t.Errorf("Path = %q, want %q", st.Path, tc.path)
			}
			if got := objects(st); !maps.Equal(got, tc.objects) {
				t.Errorf("objects:\n%s", diffMaps(got, tc.objects))
			}
			if got := seeds(st); !maps.Equal(got, tc.seeds) && (len(got) > 0 || len(tc.seeds) > 0) {
				t.Errorf("seeds:\n%s", diffMaps(got, tc.seeds))
			}
			if !maps.Equal(st.Renamed, tc.renamed) && (len(st.Renamed) > 0 || len(tc.renamed) > 0) {
				t.Errorf("renamed:\n%s", diffMaps(st.Renamed, tc.renamed))
			}
			if tc.stmts != 0 && len(st.Statements) != tc.stmts {
				t.Errorf("%d statements, want %d", len(st.Statements), tc.stmts)
			}
			for i, s := range st.Statements {
				if i > 0 && s.File < st.Statements[i-1].File {
					t.Errorf("statement %s:%d loads after %s", s.File, s.Line, st.Statements[i-1].File)
				}
			}
		})
	}
}

func diffMaps(got, want map[string]string) string {
	var lines []string
	for _, k := range slices.Sorted(maps.Keys(got)) {
		if w, ok := want[k]; !ok {
			lines = append(lines, fmt.Sprintf("  extra   %s: %s", k, got[k]))
		} else if w != got[k] {
			lines = append(lines, fmt.Sprintf("  got     %s: %s, want %s", k, got[k], w))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if _, ok := got[k]; !ok {
			lines = append(lines, fmt.Sprintf("  missing %s: %s", k, want[k]))
		}
	}
	return strings.Join(lines, "\n")
}

func TestLoadLayouts(t *testing.T) {
	runLoadCases(t, []loadCase{{
		name: "nested directories in path order",
		path: "db/schema",
		files: map[string]string{
			"db/schema/tables/users.sql":   "CREATE TABLE users (\n  id INT PRIMARY KEY,\n  email VARCHAR(255)\n);\n",
			"db/schema/tables.sql":         "CREATE TABLE a (x INT);\n",
			"db/schema/views/v.sql":        "-- the view\nCREATE VIEW v AS SELECT id FROM users;\n",
			"db/schema/README.md":          "CREATE TABLE not_sql (x INT);",
			"db/schema/.backup/old.sql":    "CREATE TABLE users (id INT);",
			"db/schema/tables/.#users.sql": "CREATE TABLE users (id INT);",
			"db/other/b.sql":               "CREATE TABLE b (x INT);",
		},
		objects: map[string]string{
			"table a":            "db/schema/tables.sql:1:1",
			"column a.x":         "db/schema/tables.sql:1:17",
			"table users":        "db/schema/tables/users.sql:1:1",
			"column users.id":    "db/schema/tables/users.sql:2:3",
			"column users.email": "db/schema/tables/users.sql:3:3",
			"view v":             "db/schema/views/v.sql:2:1",
		},
		stmts: 3,
	}, {
		name:    "trailing slash",
		path:    "schema/",
		files:   map[string]string{"schema/a.sql": "CREATE TABLE a (x INT)"},
		objects: map[string]string{"table a": "schema/a.sql:1:1", "column a.x": "schema/a.sql:1:17"},
	}, {
		name:    "the root",
		path:    "",
		files:   map[string]string{"a.sql": "\ufeffCREATE TABLE a (x INT)", "sub/b.sql": "CREATE TABLE b (`y` INT)"},
		objects: map[string]string{"table a": "a.sql:1:1", "column a.x": "a.sql:1:17", "table b": "sub/b.sql:1:1", "column b.y": "sub/b.sql:1:17"},
	}, {
		name:    "one file",
		path:    "db/structure.sql",
		files:   map[string]string{"db/structure.sql": "CREATE TABLE a (x INT);", "db/other.sql": "CREATE TABLE b (x INT);"},
		objects: map[string]string{"table a": "db/structure.sql:1:1", "column a.x": "db/structure.sql:1:17"},
	}})
}

func TestLoadObjects(t *testing.T) {
	runLoadCases(t, []loadCase{{
		name: "tables and columns",
		path: "s",
		files: map[string]string{"s/t.sql": `CREATE TABLE IF NOT EXISTS shop.Orders (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, ` + "`Total`" + ` DECIMAL(10,
	  2) NOT NULL DEFAULT 0,
  /* a comment */ status ENUM('new', 'paid, really') NOT NULL,
  note VARCHAR(10) COMMENT 'id, status',
  PRIMARY KEY (id),
  KEY ix_status (status)
) ENGINE=InnoDB;
CREATE TEMPORARY TABLE scratch (x INT);
CREATE TABLE copy LIKE orders;
CREATE INDEX ix ON orders (note);
`},
		objects: map[string]string{
			"table orders":         "s/t.sql:1:1",
			"column orders.id":     "s/t.sql:2:2",
			"column orders.total":  "s/t.sql:2:46",
			"column orders.status": "s/t.sql:4:19",
			"column orders.note":   "s/t.sql:5:3",
			"table copy":           "s/t.sql:10:1",
		},
	}, {
		name: "views, triggers and routines",
		path: "s",
		files: map[string]string{"s/p.sql": `CREATE TABLE t (a INT);
CREATE OR REPLACE ALGORITHM=MERGE DEFINER=` + "`app`@`%`" + ` SQL SECURITY INVOKER VIEW v_t AS SELECT a FROM t;
DELIMITER $$
CREATE DEFINER='app'@'%' TRIGGER IF NOT EXISTS t_bi BEFORE INSERT ON t FOR EACH ROW
BEGIN
  SET NEW.a = 1;
END$$
CREATE PROCEDURE p(IN x INT)
BEGIN
  SELECT x;
END$$
  CREATE AGGREGATE FUNCTION agg(x INT) RETURNS INT
BEGIN
  DECLARE s INT DEFAULT 0;
  LOOP FETCH GROUP NEXT ROW; SET s = s + x; END LOOP;
  RETURN s;
END$$
DELIMITER ;
CREATE FUNCTION p() RETURNS INT RETURN 1;
CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO DELETE FROM t;
`},
		objects: map[string]string{
			"table t":      "s/p.sql:1:1",
			"column t.a":   "s/p.sql:1:17",
			"view v_t":     "s/p.sql:2:1",
			"trigger t_bi": "s/p.sql:4:1",
			"routine p":    "s/p.sql:8:1", // the procedure; the function p is another namespace
			"routine agg":  "s/p.sql:12:3",
		},
	}, {
		name: "drops",
		path: "s",
		files: map[string]string{
			"s/a.sql": "CREATE TABLE gone (x INT);\nCREATE VIEW old_v AS SELECT 1;\nCREATE TRIGGER tr BEFORE INSERT ON gone FOR EACH ROW SET @a = 1;\n",
			"s/b.sql": "DROP TABLE IF EXISTS gone, never;\nDROP VIEW old_v;\nDROP TRIGGER IF EXISTS tr;\nDROP TEMPORARY TABLE IF EXISTS x;\n" +
				"CREATE TABLE gone (y INT);\nCREATE VIEW old_v AS SELECT 2;\nCREATE TRIGGER tr AFTER INSERT ON gone FOR EACH ROW SET @a = 2;\n" +
				"DROP VIEW IF EXISTS gone;\n", // a DROP VIEW does not drop a table
		},
		objects: map[string]string{
			"table gone":    "s/b.sql:5:1",
			"column gone.y": "s/b.sql:5:20",
			"view old_v":    "s/b.sql:6:1",
			"trigger tr":    "s/b.sql:7:1",
		},
	}, {
		name: "seeds",
		path: "s",
		files: map[string]string{
			"s/a.sql": "CREATE TABLE a (x INT);\nCREATE TABLE b (x INT);\n",
			"s/seed.sql": "INSERT INTO a VALUES (1);\nINSERT INTO a VALUES (2);\n  REPLACE INTO `B` SET x = 1;\n" +
				"INSERT IGNORE shop.c (x) SELECT 1;\nINSERT INTO d VALUES (1) RETURNING x;\n",
		},
		objects: map[string]string{"table a": "s/a.sql:1:1", "column a.x": "s/a.sql:1:17", "table b": "s/a.sql:2:1", "column b.x": "s/a.sql:2:17"},
		seeds:   map[string]string{"a": "s/seed.sql:1:1", "b": "s/seed.sql:3:3", "c": "s/seed.sql:4:1", "d": "s/seed.sql:5:1"},
	}, {
		name:    "a table the parser cannot read",
		path:    "s",
		files:   map[string]string{"s/a.sql": "-- schema-guard:renamed-from old_hist\nCREATE OR REPLACE TABLE hist (a INT INVISIBLE) WITH SYSTEM VERSIONING;\n"},
		objects: map[string]string{"table hist": "s/a.sql:2:1"},
		renamed: map[string]string{"hist": "old_hist"},
	}})
}

func TestLoadHints(t *testing.T) {
	runLoadCases(t, []loadCase{{
		name: "tables and columns",
		path: "s",
		files: map[string]string{"s/a.sql": `-- Clients were customers until release 42.
-- schema-guard:renamed-from customers
CREATE TABLE Clients (
  id INT PRIMARY KEY,
  -- schema-guard:renamed-from name
  full_name VARCHAR(100),
  ` + "`E-mail`" + ` VARCHAR(255), -- schema-guard:renamed-from mail   (ticket 12)
  # schema-guard:renamed-from ` + "`Old Phone`" + `
  phone VARCHAR(20)
);

CREATE TABLE other (
  a INT -- a plain comment
);
`},
		objects: map[string]string{
			"table clients":            "s/a.sql:3:1",
			"column clients.id":        "s/a.sql:4:3",
			"column clients.full_name": "s/a.sql:6:3",
			"column clients.e-mail":    "s/a.sql:7:3",
			"column clients.phone":     "s/a.sql:9:3",
			"table other":              "s/a.sql:12:1",
			"column other.a":           "s/a.sql:13:3",
		},
		renamed: map[string]string{
			"clients": "customers", "clients.full_name": "name", "clients.e-mail": "mail", "clients.phone": "Old Phone",
		},
	}})
}

func TestLoadDumps(t *testing.T) {
	standIn57 := `--
-- Temporary table structure for view ` + "`published_posts`" + `
--

DROP TABLE IF EXISTS ` + "`published_posts`" + `;
/*!50001 DROP VIEW IF EXISTS ` + "`published_posts`" + `*/;
SET @saved_cs_client     = @@character_set_client;
SET character_set_client = utf8;
/*!50001 CREATE TABLE ` + "`published_posts`" + ` (
  ` + "`id`" + ` tinyint NOT NULL,
  ` + "`title`" + ` tinyint NOT NULL
) ENGINE=MyISAM */;
SET character_set_client = @saved_cs_client;

--
-- Table structure for table ` + "`posts`" + `
--

DROP TABLE IF EXISTS ` + "`posts`" + `;
CREATE TABLE ` + "`posts`" + ` (
  ` + "`id`" + ` int(11) NOT NULL AUTO_INCREMENT,
  ` + "`title`" + ` varchar(200) NOT NULL,
  ` + "`published`" + ` tinyint(1) NOT NULL DEFAULT '0',
  PRIMARY KEY (` + "`id`" + `)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

--
-- Final view structure for view ` + "`published_posts`" + `
--

/*!50001 DROP TABLE IF EXISTS ` + "`published_posts`" + `*/;
/*!50001 DROP VIEW IF EXISTS ` + "`published_posts`" + `*/;
/*!50001 CREATE ALGORITHM=UNDEFINED */
/*!50013 DEFINER=` + "`root`@`localhost`" + ` SQL SECURITY DEFINER */
/*!50001 VIEW ` + "`published_posts`" + ` AS select ` + "`posts`.`id` AS `id`,`posts`.`title` AS `title`" + ` from ` + "`posts`" + ` */;
`
	posts57 := map[string]string{
		"table posts":            "d.sql:20:1",
		"column posts.id":        "d.sql:21:3",
		"column posts.title":     "d.sql:22:3",
		"column posts.published": "d.sql:23:3",
		"view published_posts":   "d.sql:33:1",
	}
	noDrops := strings.NewReplacer("DROP TABLE IF EXISTS", "SELECT 1 FROM DUAL WHERE 0 OR", "DROP VIEW IF EXISTS", "SELECT 2 FROM DUAL WHERE 0 OR").Replace(standIn57)
	shop := func(file string, lines ...int) map[string]string {
		names := []string{"table posts", "column posts.id", "column posts.user_id", "column posts.title",
			"column posts.comment_count", "column posts.published", "trigger posts_bi", "table users", "column users.id",
			"column users.email", "column users.full_name", "column users.created_at", "routine post_count",
			"routine publish_post", "view published_posts"}
		out := map[string]string{}
		for i, n := range names {
			col := 1
			if strings.HasPrefix(n, "column") {
				col = 3
			}
			out[n] = fmt.Sprintf("%s:%d:%d", file, lines[i], col)
		}
		return out
	}
	runLoadCases(t, []loadCase{{
		name:    "MariaDB 10.11 --no-data --routines --triggers",
		path:    "db/mariadb-10.11.sql",
		files:   map[string]string{"db/mariadb-10.11.sql": fixture(t, "mariadb-10.11.sql")},
		objects: shop("db/mariadb-10.11.sql", 26, 27, 28, 29, 30, 31, 46, 76, 77, 78, 79, 80, 99, 120, 142),
	}, {
		name:    "MariaDB 10.11 --databases with data",
		path:    "db/dump.sql",
		files:   map[string]string{"db/dump.sql": fixture(t, "mariadb-10.11-data.sql")},
		objects: shop("db/dump.sql", 34, 35, 36, 37, 38, 39, 63, 93, 94, 95, 96, 97, 128, 149, 177),
		seeds:   map[string]string{"users": "db/dump.sql:109:1"},
	}, {
		name:    "MySQL 8.0 --no-data --routines --triggers",
		path:    "mysql-8.0.sql",
		files:   map[string]string{"mysql-8.0.sql": fixture(t, "mysql-8.0.sql")},
		objects: shop("mysql-8.0.sql", 33, 34, 35, 36, 37, 38, 53, 82, 83, 84, 85, 86, 105, 125, 146),
	}, {
		name:    "MySQL 5.7 stand-in table",
		path:    "d.sql",
		files:   map[string]string{"d.sql": standIn57},
		objects: posts57,
	}, {
		name:    "stand-in table without the drops",
		path:    "d.sql",
		files:   map[string]string{"d.sql": noDrops},
		objects: posts57,
	}})
}

func TestLoadErrors(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		path  string
		err   string
	}{
		{"missing", map[string]string{"a.sql": ""}, "db/schema", "db/schema: declared schema does not exist"},
		{"not sql", map[string]string{"db/schema.txt": "CREATE TABLE a (x INT);"}, "db/schema.txt",
			"db/schema.txt: declared schema is neither a .sql file nor a directory holding .sql files"},
		{"no sql files", map[string]string{"db/schema/a.txt": "", "db/schema/.hidden.sql": ""}, "db/schema",
			"db/schema: declared schema is neither a .sql file nor a directory holding .sql files"},
		{"invalid path", map[string]string{"a.sql": ""}, "../a.sql", "../a.sql: declared schema path is not inside the repository"},
		{"absolute path", map[string]string{"a.sql": ""}, "/a.sql", "/a.sql: declared schema path is not inside the repository"},
		{"splitter", map[string]string{"s/a.sql": "CREATE TABLE a (x INT);\nSELECT 'oops;\n"}, "s", "s/a.sql:2:8: unterminated string literal"},
		{"duplicate table", map[string]string{"db/schema/a.sql": "\n\nCREATE TABLE users (id INT);",
			"db/schema/b.sql": "-- users again\n\n\n\n\n\n\n\n\n  CREATE TABLE `Users` (id INT);"}, "db/schema",
			"db/schema/b.sql:10:3: table Users is already declared at db/schema/a.sql:3"},
		{"duplicate with IF NOT EXISTS", map[string]string{"a.sql": "CREATE TABLE t (x INT);\nCREATE TABLE IF NOT EXISTS t (x INT);"}, "a.sql",
			"a.sql:2:1: table t is already declared at a.sql:1"},
		{"view over a table of another file", map[string]string{"s/a.sql": "CREATE TABLE v (x INT);", "s/b.sql": "CREATE VIEW v AS SELECT 1;"}, "s",
			"s/b.sql:1:1: view v is already declared as a table at s/a.sql:1"},
		{"table over a view", map[string]string{"a.sql": "CREATE VIEW v AS SELECT 1;\nCREATE TABLE v (x INT);"}, "a.sql",
			"a.sql:2:1: table v is already declared as a view at a.sql:1"},
		{"duplicate view", map[string]string{"a.sql": "CREATE VIEW v AS SELECT 1;\nCREATE OR REPLACE VIEW v AS SELECT 2;"}, "a.sql",
			"a.sql:2:1: view v is already declared at a.sql:1"},
		{"duplicate trigger", map[string]string{"a.sql": "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET @a=1;\n" +
			"/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`%`*/ /*!50003 TRIGGER `t` AFTER INSERT ON x FOR EACH ROW SET @a=1 */;"}, "a.sql",
			"a.sql:2:1: trigger t is already declared at a.sql:1"},
		{"duplicate procedure", map[string]string{"a.sql": "CREATE PROCEDURE p() SELECT 1;\nCREATE PROCEDURE P() SELECT 2;"}, "a.sql",
			"a.sql:2:1: procedure P is already declared at a.sql:1"},
		{"duplicate function", map[string]string{"a.sql": "CREATE FUNCTION f() RETURNS INT RETURN 1;\nCREATE DEFINER=x@y FUNCTION f() RETURNS INT RETURN 2;"}, "a.sql",
			"a.sql:2:1: function f is already declared at a.sql:1"},
		{"two databases", map[string]string{"dump.sql": "CREATE DATABASE a;\nUSE a;\nCREATE TABLE t (x INT);\nUSE `a`;\nCREATE DATABASE b;\nUSE b;\nCREATE TABLE t (x INT);"}, "dump.sql",
			"dump.sql:6:1: USE b switches to a second database (USE a is at dump.sql:2): a declared schema is one database"},
		{"hint without a name", map[string]string{"s/a.sql": "CREATE TABLE a (\n  x INT -- schema-guard:renamed-from\n);"}, "s",
			"s/a.sql:2:9: schema-guard:renamed-from needs the old name: -- schema-guard:renamed-from <old_name>"},
		{"hint with an unterminated name", map[string]string{"a.sql": "# schema-guard:renamed-from `x\nCREATE TABLE a (x INT);"}, "a.sql",
			"a.sql:1:1: schema-guard:renamed-from needs the old name: -- schema-guard:renamed-from <old_name>"},
		{"hint before a view", map[string]string{"a.sql": "-- schema-guard:renamed-from w\nCREATE VIEW v AS SELECT 1;"}, "a.sql",
			"a.sql:1:1: schema-guard:renamed-from hint renames nothing: put it on the comment lines right before a CREATE TABLE, or on the line before a column definition or at the end of it"},
		{"hint with a blank line", map[string]string{"a.sql": "-- schema-guard:renamed-from w\n\nCREATE TABLE a (x INT);"}, "a.sql",
			"a.sql:1:1: schema-guard:renamed-from hint renames nothing: put it on the comment lines right before a CREATE TABLE, or on the line before a column definition or at the end of it"},
		{"hint before a key", map[string]string{"a.sql": "CREATE TABLE a (\n  x INT,\n  -- schema-guard:renamed-from k\n  KEY (x)\n);"}, "a.sql",
			"a.sql:3:3: schema-guard:renamed-from hint renames nothing: put it on the comment lines right before a CREATE TABLE, or on the line before a column definition or at the end of it"},
		{"two hints for a table", map[string]string{"a.sql": "-- schema-guard:renamed-from b\n-- schema-guard:renamed-from c\nCREATE TABLE a (x INT);"}, "a.sql",
			"a.sql:2:1: second schema-guard:renamed-from hint for table a (the first is at line 1)"},
		{"two hints for a column", map[string]string{"a.sql": "CREATE TABLE a (\n  -- schema-guard:renamed-from y\n  x INT -- schema-guard:renamed-from z\n);"}, "a.sql",
			"a.sql:3:9: second schema-guard:renamed-from hint for column a.x (the first is at line 2)"},
		{"ambiguous column hint", map[string]string{"a.sql": "CREATE TABLE a (\n  x INT, y INT -- schema-guard:renamed-from z\n);"}, "a.sql",
			"a.sql:2:16: schema-guard:renamed-from hint is ambiguous: columns x and y both start on line 2; put each column on its own line"},
		{"column hint in a table the parser cannot read", map[string]string{"a.sql": "CREATE TABLE a (\n  x INT INVISIBLE -- schema-guard:renamed-from z\n);"}, "a.sql",
			"a.sql:2:19: schema-guard:renamed-from hint cannot be applied: the parser cannot read this CREATE TABLE, so its columns are unknown"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st, err := Load(mapFS(tc.files), tc.path)
			if err == nil {
				t.Fatalf("no error; objects %v", objects(st))
			}
			if err.Error() != tc.err {
				t.Errorf("error\n got %q\nwant %q", err, tc.err)
			}
		})
	}
}

func TestHeader(t *testing.T) {
	for _, tc := range []struct{ sql, kind, name string }{
		{"/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`%`*/ /*!50003 TRIGGER `Trg` BEFORE INSERT ON t FOR EACH ROW SET @a=1 */", "trigger", "Trg"},
		{"CREATE DEFINER = CURRENT_USER FUNCTION db.f() RETURNS INT RETURN 1", "routine", "f"},
		{"CREATE PROCEDURE p() SELECT 1", "routine", "p"},
		{"CREATE OR REPLACE TABLE t (a INT)", "table", "t"},
		{"CREATE VIEW v AS SELECT 1", "view", "v"},
		{"CREATE TEMPORARY TABLE t (a INT)", "", ""},
		{"CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO SELECT 1", "", ""},
		{"DROP TABLE t", "", ""},
		{"SELECT 1", "", ""},
	} {
		if kind, name := Header(tc.sql); kind != tc.kind || name != tc.name {
			t.Errorf("Header(%q) = %q, %q; want %q, %q", tc.sql, kind, name, tc.kind, tc.name)
		}
	}
}
