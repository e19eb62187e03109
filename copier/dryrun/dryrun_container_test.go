package dryrun

import (
	"context"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
	"github.com/schema-guard/schema-guard/runner"
)

// TestDryRunLosslessRepeatedInContainer repeats TestDryRunLosslessRepeated on a server the
// container engine starts: 20 consecutive dry runs of each lossless change, each with its own
// sample and concurrent writes, all lossless.
func TestDryRunLosslessRepeatedInContainer(t *testing.T) {
	testenv.EachImage(t, testDryRunLosslessRepeatedInContainer)
}

func testDryRunLosslessRepeatedInContainer(t *testing.T, img testenv.ServerImage) {
	image := img.Ref
	ctx := context.Background()
	srv, err := runner.Start(ctx, runner.Options{Kind: runner.Container, Image: image, RunID: "test" + testenv.RandomHex(6)})
	if err != nil {
		t.Fatalf("start the container engine: %v", err)
	}
	defer srv.Close(ctx)
	for _, alter := range []string{
		"ALTER TABLE t ADD COLUMN note VARCHAR(20) NULL",
		"ALTER TABLE t ADD INDEX k_name (name)",
		"ALTER TABLE t MODIFY name VARCHAR(200)",
	} {
		t.Run(alter, func(t *testing.T) {
			// The model comes from the container's own server, as the checker reads it.
			modelDB, err := srv.CreateDatabase(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer modelDB.Drop(ctx)
			m := modelIn(t, modelDB.DB, modelDB.Name, dryRunTable, alter)
			for run := range 20 {
				copyDB, err := srv.CreateDatabase(ctx)
				if err != nil {
					t.Fatal(err)
				}
				refDB, err := srv.CreateDatabase(ctx)
				if err != nil {
					t.Fatal(err)
				}
				v, err := Run(testCtx(t), copyDB.DB, refDB.DB, Options{Before: m.before, After: m.after, CreateTable: m.create,
					Alter: alter, Rows: 400, Seed: int64(100 + run), Flavor: srv.Flavor})
				copyDB.Drop(ctx)
				refDB.Drop(ctx)
				if err != nil {
					t.Fatalf("run %d: %v", run+1, err)
				}
				if v.Verdict != Lossless || v.RowsLost+v.RowsAdded+v.RowsChanged != 0 || v.Writes == 0 {
					t.Fatalf("run %d: verdict %s, %d lost, %d added, %d changed, %d writes: %s", run+1, v.Verdict, v.RowsLost, v.RowsAdded, v.RowsChanged, v.Writes, v.Detail)
				}
			}
		})
	}
}
