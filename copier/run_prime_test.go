package copier

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

// TestRunPrimingWaitIsBounded runs a copy while another session runs a long statement that
// never touches the table: on MariaDB the copier waits for it before it swaps in its triggers
// (createTriggers), but no longer than the lock wait timeout, and says so; on MySQL there is no
// priming and no wait.
func TestRunPrimingWaitIsBounded(t *testing.T) {
	testenv.EachServer(t, func(t *testing.T, srv testenv.Server) {
		db := scratch(t)
		fillTable(t, db, "t", 100)
		ctx := context.Background()
		sleeper, id := session(t, db)
		slept := make(chan error, 1)
		go func() {
			_, err := sleeper.ExecContext(ctx, "SELECT SLEEP(600)")
			slept <- err
		}()
		defer func() {
			mustExec(t, db, fmt.Sprintf("KILL QUERY %d", id))
			<-slept
		}()
		waitFor(t, time.Minute, "the long statement to run", func() bool {
			return count(t, db, fmt.Sprintf("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = %d AND INFO LIKE 'SELECT SLEEP%%'", id)) > 0
		})
		var log syncBuffer
		res, err := Run(ctx, db, Options{Table: "t", Alter: "ADD COLUMN f INT NULL", Execute: true, LockWaitTimeout: time.Second,
			Log: slog.New(slog.NewTextHandler(&log, nil))})
		if err != nil || !res.CutOver {
			t.Fatalf("Run: %+v, %v", res, err)
		}
		const warned = "still run after the lock wait timeout"
		if got := strings.Contains(log.String(), warned); got != !srv.MySQL() {
			t.Errorf("the log says %q: %v, want %v; log:\n%s", warned, got, !srv.MySQL(), log.String())
		}
	})
}

// syncBuffer is a bytes.Buffer that several goroutines may write.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
