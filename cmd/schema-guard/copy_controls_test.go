package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

func TestCopyControlFlagsBadInput(t *testing.T) {
	base := []string{"copy", "--dsn", "u:p@tcp([::1]:3319)/db", "--table", "t", "--alter", "ADD c INT"}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--max-load", "Threads_running"}, "--max-load: want STATUS=VALUE pairs"},
		{[]string{"--critical-load", "Threads_running=lots"}, "--critical-load: Threads_running wants a number"},
		{[]string{"--max-lag", "0s"}, "--max-lag wants a duration above 0"},
		{[]string{"--replica", ""}, "empty DSN"},
		{[]string{"--replica", "not a dsn"}, "--replica: invalid DSN"},
	} {
		code, stdout, stderr := runCLI(t, "", append(base, tc.args...)...)
		if code != exitFailure || !strings.Contains(stderr, tc.want) || strings.Count(stderr, "\n") != 1 || stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", tc.args, code, stdout, stderr)
		}
	}
	code, stdout, _ := runCLI(t, "", "copy", "--help")
	for _, flag := range []string{"--max-load", "--critical-load", "--throttle-flag-file", "--replica DSN", "--max-lag", "--postpone-cutover-flag-file", "--resume"} {
		if code != exitOK || !strings.Contains(stdout, flag) {
			t.Errorf("copy --help does not document %s", flag)
		}
	}
}

// TestCopyPauseLines runs the binary with a throttle flag file: its log says that it paused
// and why, and that it resumed once the file is gone.
func TestCopyPauseLines(t *testing.T) {
	bin := buildBinary(t)
	testenv.EachServer(t, func(t *testing.T, _ testenv.Server) {
		db, dsn := copyDB(t, 2000)
		flag := filepath.Join(t.TempDir(), "pause")
		testenv.WriteFile(t, flag, "")
		cmd := exec.Command(bin, "copy", "--dsn", dsn, "--table", "t", "--alter", "ADD COLUMN note VARCHAR(10) NULL", "--execute", "--throttle-flag-file", flag)
		pipe, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 100)
		go func() {
			sc := bufio.NewScanner(pipe)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		next := func(want string) {
			t.Helper()
			for {
				select {
				case l, ok := <-lines:
					if !ok {
						t.Fatalf("stderr ended without %q", want)
					}
					if strings.Contains(l, want) {
						return
					}
				case <-time.After(2 * time.Minute):
					_ = cmd.Process.Kill()
					t.Fatalf("no line with %q within 2 minutes", want)
				}
			}
		}
		next("copy paused: the throttle flag file " + flag + " exists")
		if n := countRows(t, db, "SELECT COUNT(*) FROM `_t_sg_new`"); n != 0 {
			t.Errorf("%d rows copied while paused", n)
		}
		if err := os.Remove(flag); err != nil {
			t.Fatal(err)
		}
		next("copy resumed")
		for range lines {
		}
		if err := cmd.Wait(); err != nil {
			t.Fatalf("the copy failed: %v", err)
		}
		if !hasColumn(t, db, "note") {
			t.Error("no cut-over")
		}
	})
}
