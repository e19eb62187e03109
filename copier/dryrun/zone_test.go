package dryrun

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
	"github.com/schema-guard/schema-guard/internal/testenv/imageserver"
)

// TestDryRunOnZonedServer dry-runs TIMESTAMP conversions on a private server of each image
// whose global time zone is not UTC and whose sql_mode refuses zero dates
// (imageserver.ZoneArgs), as the copier's TestRunOnZonedServer runs them for real.
func TestDryRunOnZonedServer(t *testing.T) {
	testenv.EachImage(t, func(t *testing.T, img testenv.ServerImage) {
		newDB := imageserver.Start(t, img.Ref, imageserver.ZoneArgs)
		testZoneDryRun(t, newDB)
	})
}

// zoneTable holds DATETIME and TIMESTAMP values an hour and a half apart, some NULL (the
// copier's run_zone_test.go has the same table).
const zoneTable = `CREATE TABLE %s (
	id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	dt DATETIME NULL,
	ts TIMESTAMP NULL DEFAULT NULL,
	note VARCHAR(20) NOT NULL
) ENGINE=InnoDB`

// testZoneDryRun dry-runs the conversions on the server, against the plain ALTER run in the
// server's zone: TIMESTAMP to DATETIME is lossless; DATETIME to TIMESTAMP is refused by both,
// for the edge rows outside TIMESTAMP's range that the dry run adds.
func testZoneDryRun(t *testing.T, newDB func(*testing.T) (*sql.DB, string)) {
	for _, tt := range []struct {
		alter string
		want  string
	}{
		{"ALTER TABLE t MODIFY dt TIMESTAMP NULL DEFAULT NULL", Refused},
		{"ALTER TABLE t MODIFY ts DATETIME NULL", Lossless},
	} {
		alter := tt.alter
		t.Run(alter, func(t *testing.T) {
			modelDB, name := newDB(t)
			m := modelIn(t, modelDB, name, fmt.Sprintf(zoneTable, "t"), alter)
			copyDB, _ := newDB(t)
			refDB, _ := newDB(t)
			v, err := Run(testCtx(t), copyDB, refDB, Options{Before: m.before, After: m.after, CreateTable: m.create,
				Alter: alter, Rows: 1500, Seed: 3, Flavor: m.flavor})
			if err != nil {
				t.Fatal(err)
			}
			bothRefuse := v.Verdict == Refused && strings.Contains(v.Detail, "the plain ALTER fails too")
			if v.Verdict != tt.want || (v.Verdict == Refused && !bothRefuse) || v.Writes == 0 {
				t.Fatalf("verdict %s, %d writes: %s", v.Verdict, v.Writes, v.Detail)
			}
		})
	}
}
