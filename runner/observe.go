package runner

import (
	"context"

	"github.com/schema-guard/schema-guard/migrations"
)

// Hooks are told about a replay as it goes. Every field may be nil.
type Hooks struct {
	// Progress is told about each unit just before it runs; i counts from 0.
	Progress func(i int, u *Unit)
	// Statement is called just before each statement is sent. The function it returns (nil
	// for none) is called just after the statement succeeded, not after a failure: what the
	// hook learnt before the statement reaches it as a value, never through shared fields. An
	// error from either stops the replay and is returned by Replay.
	Statement func(ctx context.Context, st *migrations.Statement) (after func(context.Context) error, err error)
}
