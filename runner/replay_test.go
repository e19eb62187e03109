package runner

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/internal/testenv"
	"github.com/schema-guard/schema-guard/migrations"
)

func TestReplayRunsStatementsInOrder(t *testing.T) {
	testenv.EachServer(t, testReplayRunsStatementsInOrder)
}

func testReplayRunsStatementsInOrder(t *testing.T, _ testenv.Server) {
	srv := startDSNServer(t)
	ctx := context.Background()
	db, err := srv.CreateDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	units := []Unit{
		unit(t, "m/1.sql", "CREATE TABLE a (id INT PRIMARY KEY);\nSET @x = 41;"),
		// Session state carries across files of one replay, as it does for the migration tools.
		unit(t, "m/2.sql", "INSERT INTO a VALUES (@x + 1);\nALTER TABLE a ADD COLUMN b INT;"),
	}
	var seen []string
	res, err := db.Replay(ctx, units, Hooks{Progress: func(i int, u *Unit) { seen = append(seen, u.Path) }})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed || len(res.Findings) != 0 {
		t.Fatalf("result = %+v", res)
	}
	if strings.Join(seen, " ") != "m/1.sql m/2.sql" {
		t.Errorf("progress saw %v", seen)
	}
	for i, ur := range res.Units {
		if !ur.Applied || ur.Executed != 2 {
			t.Errorf("unit %d = %+v", i, ur)
		}
	}
	var id int
	if err := db.DB.QueryRowContext(ctx, "SELECT id FROM a").Scan(&id); err != nil || id != 42 {
		t.Fatalf("id = %d, %v", id, err)
	}
}

func TestReplayStopsAtTheFailingStatement(t *testing.T) {
	testenv.EachServer(t, testReplayStopsAtTheFailingStatement)
}

func testReplayStopsAtTheFailingStatement(t *testing.T, _ testenv.Server) {
	srv := startDSNServer(t)
	ctx := context.Background()
	db, err := srv.CreateDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	units := []Unit{
		unit(t, "m/1.sql", "CREATE TABLE a (id INT PRIMARY KEY);"),
		unit(t, "m/2.sql", "-- rename\nALTER TABLE a ADD COLUMN b INT;\n\n  ALTER TABLE a DROP COLUMN nope;\nALTER TABLE a ADD COLUMN c INT;"),
		unit(t, "m/3.sql", "CREATE TABLE never (id INT);"),
	}
	res, err := db.Replay(ctx, units, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Failed || len(res.Findings) != 1 {
		t.Fatalf("result = %+v", res)
	}
	f := res.Findings[0]
	if f.Rule != finding.ReplayFailed || f.Severity != finding.Error || f.File != "m/2.sql" || f.Line != 4 || f.Column != 3 {
		t.Errorf("finding at %s rule %s severity %s", f.Pos(), f.Rule, f.Severity)
	}
	// The server's error number and text, whatever the flavour's wording.
	if !strings.Contains(f.Message, "Error 1091 (42000)") || !strings.Contains(f.Message, "nope") {
		t.Errorf("message = %q", f.Message)
	}
	if !res.Units[0].Applied || res.Units[1].Applied || res.Units[1].Executed != 1 || res.Units[2].Applied {
		t.Errorf("units = %+v", res.Units)
	}
	var n int
	if err := db.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'never'").Scan(&n); err != nil || n != 0 {
		t.Errorf("replay went on after the failure: %d, %v", n, err)
	}
}

func TestReplaySkipsAndRefusesOtherDatabases(t *testing.T) {
	testenv.EachServer(t, testReplaySkipsAndRefusesOtherDatabases)
}

func testReplaySkipsAndRefusesOtherDatabases(t *testing.T, _ testenv.Server) {
	srv := startDSNServer(t)
	ctx := context.Background()
	db, err := srv.CreateDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	units := []Unit{
		unit(t, "m/1.sql", "CREATE DATABASE shop;\nUSE shop;\nCREATE TABLE a (id INT PRIMARY KEY);\nCREATE USER app IDENTIFIED BY 'x';"),
		unit(t, "m/2.sql", "CREATE TABLE b (id INT, FOREIGN KEY (id) REFERENCES a (id));\nINSERT INTO mysql.user_copy SELECT * FROM a;"),
	}
	res, err := db.Replay(ctx, units, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Findings {
		got = append(got, string(f.Rule)+"@"+f.Pos())
	}
	want := "skipped-statement@m/1.sql:1:1 skipped-statement@m/1.sql:2:1 skipped-statement@m/1.sql:4:1 foreign-database@m/2.sql:2:1"
	if strings.Join(got, " ") != want {
		t.Errorf("findings = %v\nwant %s", got, want)
	}
	if !res.Failed || !res.Units[0].Applied || res.Units[0].Executed != 1 || res.Units[1].Executed != 1 {
		t.Errorf("result = %+v", res)
	}
}

func TestInterruptedReplayLeavesNothingBehind(t *testing.T) {
	testenv.EachServer(t, testInterruptedReplayLeavesNothingBehind)
}

func testInterruptedReplayLeavesNothingBehind(t *testing.T, _ testenv.Server) {
	srv := startDSNServer(t)
	db, err := srv.CreateDatabase(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	units := []Unit{unit(t, "m/1.sql", "CREATE TABLE a (id INT);\nDO SLEEP(30);")}
	time.AfterFunc(500*time.Millisecond, cancel)
	began := time.Now()
	_, err = db.Replay(ctx, units, Hooks{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	// Close must kill the server-side statement, or DROP DATABASE would wait on it.
	if err := srv.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(began); d > 15*time.Second {
		t.Errorf("interrupt and cleanup took %s", d)
	}
	if databaseExists(t, db.Name) {
		t.Errorf("%s survived the interrupted replay", db.Name)
	}
}

func TestReplayHooks(t *testing.T) { testenv.EachServer(t, testReplayHooks) }

func testReplayHooks(t *testing.T, _ testenv.Server) {
	srv := startDSNServer(t)
	ctx := context.Background()
	db, err := srv.CreateDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	units := []Unit{
		unit(t, "m/1.sql", "USE shop;\nCREATE TABLE a (id INT PRIMARY KEY);\nINSERT INTO a VALUES (1);"),
		unit(t, "m/2.sql", "INSERT INTO a VALUES (1);\nINSERT INTO a VALUES (3);"),
	}
	var calls []string
	hooks := Hooks{
		Statement: func(ctx context.Context, st *migrations.Statement) (func(context.Context) error, error) {
			// The hook sees the state the statement starts from: the table exists only after line 2.
			var n int
			err := db.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'a'").Scan(&n)
			calls = append(calls, fmt.Sprintf("before %s:%d tables=%d", st.File, st.Line, n))
			return func(context.Context) error {
				calls = append(calls, fmt.Sprintf("after %s:%d tables=%d", st.File, st.Line, n))
				return nil
			}, err
		},
	}
	res, err := db.Replay(ctx, units, hooks)
	if err != nil {
		t.Fatal(err)
	}
	// USE is skipped (no hooks); the failing duplicate INSERT gets Before but no After.
	want := []string{
		"before m/1.sql:2 tables=0", "after m/1.sql:2 tables=0",
		"before m/1.sql:3 tables=1", "after m/1.sql:3 tables=1",
		"before m/2.sql:1 tables=1",
	}
	if !res.Failed || strings.Join(calls, "\n") != strings.Join(want, "\n") {
		t.Errorf("failed=%v calls:\n%s\nwant:\n%s", res.Failed, strings.Join(calls, "\n"), strings.Join(want, "\n"))
	}

	// An error from a hook stops the replay and is Replay's error.
	db2, err := srv.CreateDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	stop := errors.New("stop here")
	ran := 0
	_, err = db2.Replay(ctx, units[:1], Hooks{Statement: func(context.Context, *migrations.Statement) (func(context.Context) error, error) {
		return func(context.Context) error {
			ran++
			return stop
		}, nil
	}})
	if !errors.Is(err, stop) || ran != 1 {
		t.Errorf("after-hook error: err = %v, ran %d", err, ran)
	}
	_, err = db2.Replay(ctx, units[:1], Hooks{Statement: func(context.Context, *migrations.Statement) (func(context.Context) error, error) {
		return nil, stop
	}})
	if !errors.Is(err, stop) {
		t.Errorf("before-hook error: err = %v", err)
	}
}
