package declared

import (
	"net"
	"os/exec"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/go-sql-driver/mysql"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

// TestLoadLiveDump dumps a database of the test server with the installed mariadb-dump, so that a
// change in the dump format shows here and not in a user's pull request. The fixture files in
// testdata are such dumps, frozen.
func TestLoadLiveDump(t *testing.T) { testenv.EachServer(t, testLoadLiveDump) }

func testLoadLiveDump(t *testing.T, _ testenv.Server) {
	dump, err := exec.LookPath("mariadb-dump")
	if err != nil {
		if dump, err = exec.LookPath("mysqldump"); err != nil {
			testenv.Unavailable(t, "neither mariadb-dump nor mysqldump is installed")
		}
	}
	db, name := testenv.ScratchDB(t)
	for _, st := range []string{
		"CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(255) NOT NULL, full_name VARCHAR(100))",
		"CREATE TABLE posts (id INT PRIMARY KEY, user_id INT NOT NULL, title VARCHAR(200) NOT NULL, " +
			"CONSTRAINT fk_posts_user FOREIGN KEY (user_id) REFERENCES users (id))",
		"CREATE VIEW titles AS SELECT id, title FROM posts",
		"CREATE VIEW a_view_on_a_view AS SELECT title FROM titles",
		"CREATE TRIGGER posts_bi BEFORE INSERT ON posts FOR EACH ROW BEGIN\n  IF NEW.title = '' THEN SET NEW.title = 'untitled'; END IF;\nEND",
		"CREATE PROCEDURE publish(IN p INT) BEGIN\n  UPDATE posts SET title = title WHERE id = p;\nEND",
		"CREATE FUNCTION post_count(u INT) RETURNS INT READS SQL DATA RETURN (SELECT COUNT(*) FROM posts WHERE user_id = u)",
		"INSERT INTO users VALUES (1, 'a@example.com', 'A')",
	} {
		if _, err := db.Exec(st); err != nil {
			t.Fatalf("%s: %v", st, err)
		}
	}
	cfg, err := mysql.ParseDSN(testenv.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	host, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"--no-data"}, {"--databases"}} {
		cmd := exec.Command(dump, append(args, "-h"+host, "-P"+port, "-u"+cfg.User, "--routines", "--triggers", name)...)
		cmd.Env = append(cmd.Environ(), "MYSQL_PWD="+cfg.Passwd)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s %s: %v", dump, strings.Join(args, " "), err)
		}
		st, err := Load(fstest.MapFS{"dump.sql": {Data: out}}, "dump.sql")
		if err != nil {
			t.Fatalf("%s: %v\n%s", args, err, out)
		}
		for _, k := range []string{"table users", "column users.id", "column users.email", "column users.full_name",
			"table posts", "column posts.id", "column posts.user_id", "column posts.title", "view titles",
			"view a_view_on_a_view", "trigger posts_bi", "routine publish", "routine post_count"} {
			if _, ok := objects(st)[k]; !ok {
				t.Errorf("%s: %s missing; objects %v", args, k, objects(st))
			}
		}
		if len(st.Objects) != 13 {
			t.Errorf("%s: %d objects, want 13: %v", args, len(st.Objects), objects(st))
		}
		if _, ok := st.Seeds["users"]; ok != (args[0] == "--databases") {
			t.Errorf("%s: seeds %v", args, st.Seeds)
		}
	}
}
