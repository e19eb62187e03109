package declared

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

func FuzzLoad(f *testing.F) {
	for _, name := range []string{"mariadb-10.11.sql", "mariadb-10.11-data.sql", "mysql-8.0.sql"} {
		if b, err := os.ReadFile("testdata/" + name); err == nil {
			f.Add(b, []byte("CREATE TABLE posts (x INT);"), false)
		}
	}
	for _, s := range []string{
		"-- schema-guard:renamed-from a\nCREATE TABLE b (\n  -- schema-guard:renamed-from c\n  d INT, -- schema-guard:renamed-from e\n  f INT);",
		"CREATE TABLE a (x INT);\nDROP TABLE a;\nCREATE TABLE a (y INT);\nINSERT INTO a VALUES (1);",
		"/*!50001 CREATE TABLE `v` (`a` tinyint NOT NULL) */;\n/*!50001 CREATE ALGORITHM=UNDEFINED */ /*!50013 DEFINER=`r`@`%` SQL SECURITY DEFINER */ /*!50001 VIEW `v` AS SELECT 1 */;",
		"DELIMITER ;;\n/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`%`*/ /*!50003 TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET @a=1; END */;;\nDELIMITER ;\n",
		"# schema-guard:renamed-from\n", "CREATE TABLE a (x INT -- schema-guard:renamed-from `y``z`\n);", "\xff", "'", "/*!",
	} {
		f.Add([]byte(s), []byte("CREATE TABLE a (x INT);"), true)
	}
	f.Fuzz(func(t *testing.T, a, b []byte, dir bool) {
		fsys := fstest.MapFS{"s/a.sql": {Data: a}, "s/b/c.sql": {Data: b}}
		p := "s/a.sql"
		if dir {
			p = "s"
		}
		st, err := Load(fsys, p)
		if err != nil {
			msg := err.Error()
			if strings.ContainsAny(msg, "\r\n") {
				t.Fatalf("error spans several lines: %q", msg)
			}
			if !strings.HasPrefix(msg, "s/a.sql:") && !(dir && strings.HasPrefix(msg, "s/b/c.sql:")) {
				t.Fatalf("error does not start with a file: %q", msg)
			}
			return
		}
		lines := map[string]int{"s/a.sql": bytes.Count(a, []byte("\n")) + 1, "s/b/c.sql": bytes.Count(b, []byte("\n")) + 1}
		check := func(what string, p Pos) {
			if n, ok := lines[p.File]; !ok || p.Line < 1 || p.Line > n || p.Column < 1 {
				t.Fatalf("%s at %+v, outside the files", what, p)
			}
		}
		for k, p := range st.Objects {
			if k.Name != strings.ToLower(k.Name) {
				t.Fatalf("key %+v is not lower case", k)
			}
			check(k.Kind+" "+k.Name, p)
		}
		for table, p := range st.Seeds {
			check("seed "+table, p)
		}
		for k, from := range st.Renamed {
			if k != strings.ToLower(k) || from == "" {
				t.Fatalf("bad rename %q → %q", k, from)
			}
		}
	})
}
