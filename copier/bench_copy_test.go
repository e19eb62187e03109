package copier

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkCopy copies a 100,000-row table (ADD COLUMN, with the cut-over) and reports the
// copy's rate in rows per second.
func BenchmarkCopy(b *testing.B) {
	db := scratch(b)
	fillTable(b, db, "seed", 1000)
	for n := 1000; n < 100000; n *= 2 {
		mustExec(b, db, fmt.Sprintf("INSERT INTO seed (a, b, c, d, e) SELECT a, b, c, d, e FROM seed LIMIT %d", min(n, 100000-n)))
	}
	var rows, rate float64
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		table := fmt.Sprintf("t%d", i)
		mustExec(b, db, "CREATE TABLE "+table+" LIKE seed", "INSERT INTO "+table+" SELECT * FROM seed")
		b.StartTimer()
		res, err := Run(context.Background(), db, Options{Table: table, Alter: "ADD COLUMN f INT NOT NULL DEFAULT 7", Execute: true})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		rows += float64(res.Rows)
		rate += res.RowsPerSecond
		mustExec(b, db, "DROP TABLE "+table)
		b.StartTimer()
	}
	b.ReportMetric(rate/float64(b.N), "rows/s")
	b.ReportMetric(rows/float64(b.N), "rows/op")
}
