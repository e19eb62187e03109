package checker

import (
	"context"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pingcap/tidb/pkg/parser/ast"

	"github.com/schema-guard/schema-guard/copier"
	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/migrations"
	"github.com/schema-guard/schema-guard/report"
	"github.com/schema-guard/schema-guard/schema"
)

// copierCandidate reports whether the online copier would be the way to run the statement in
// production: an ALTER TABLE that changes the table (not a bare rename) or a CREATE INDEX.
func copierCandidate(node ast.StmtNode) bool {
	switch node.(type) {
	case *ast.AlterTableStmt, *ast.CreateIndexStmt:
		return onlineCandidate(node)
	}
	return false
}

// dryRun runs the online copier on sampled data for a pending statement and records its
// verdict: in the report's copier list, and as a finding when rows would be lost, the copy
// would fail, or the copier would refuse.
func (c *compat) dryRun(ctx context.Context, st *migrations.Statement, table string, before, after *schema.Table, createTable string, online *schema.Online) error {
	began := time.Now()
	s := c.s
	referencedBy, err := copier.ReferencedBy(ctx, s.Replayed.DB, table)
	if err != nil {
		return err
	}
	copyDB, err := s.srv.CreateDatabase(ctx)
	if err != nil {
		return err
	}
	defer copyDB.Drop(context.WithoutCancel(ctx))
	refDB, err := s.srv.CreateDatabase(ctx)
	if err != nil {
		return err
	}
	defer refDB.Drop(context.WithoutCancel(ctx))

	h := fnv.New64a()
	fmt.Fprintf(h, "%s:%d", st.File, st.Line)
	opts := copier.DryRunOptions{
		Before: before, After: after, CreateTable: createTable, Alter: st.Text,
		Rows: s.opts.SampleRows, ReferencedBy: referencedBy, Seed: int64(h.Sum64() >> 1), Flavor: s.srv.Flavor,
	}
	if s.opts.SampleDir != "" {
		csv, err := filepath.Abs(filepath.Join(s.opts.SampleDir, table+".csv"))
		if err != nil {
			return err
		}
		// The sample's rows can reach the report (the copier shows the rows it lost).
		if err := checkPath(s.src.tree, csv); err != nil {
			return fmt.Errorf("sample: %w", err)
		}
		if _, err := os.Stat(csv); err == nil {
			opts.SampleCSV = csv
		}
	}
	s.opts.Log.Info("dry-running the online copier", "file", st.File, "line", st.Line, "table", table)
	v, err := copier.DryRun(ctx, copyDB.DB, refDB.DB, opts)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("copier dry run of %s:%d: %w", st.File, st.Line, err)
	}
	entry := report.Copier{
		File: st.File, Line: st.Line, Table: table, SampleRows: v.SampleRows, Verdict: v.Verdict,
		RowsLost: v.RowsLost, RowsAdded: v.RowsAdded, RowsChanged: v.RowsChanged, Examples: v.Examples,
		RowsPerSecond: int64(v.RowsPerSecond), Detail: v.Detail,
	}
	if rows := s.opts.Tables[strings.ToLower(table)].Rows; rows > 0 && v.RowsPerSecond > 0 {
		entry.ProductionRows = rows
		entry.EstimatedSeconds = int64(float64(rows) / v.RowsPerSecond)
	}
	c.copies = append(c.copies, entry)
	c.copierTime += time.Since(began)

	f := finding.Finding{Table: table}
	switch v.Verdict {
	case copier.Lossy:
		f.Rule = finding.CopierDataLoss
		f.Message = fmt.Sprintf("the online copy of `%s`, dry-run on %d sampled rows under concurrent writes, loses %d rows, adds %d and changes %d compared with the plain ALTER (%s)",
			table, v.SampleRows, v.RowsLost, v.RowsAdded, v.RowsChanged, strings.Join(v.Examples, ", "))
		f.Fix = v.Detail
	case copier.Failed:
		f.Rule = finding.CopierFailed
		f.Message = fmt.Sprintf("the online copy of `%s` failed in the dry run: %s", table, firstLine(v.Detail))
		f.Fix = v.Detail
	case copier.Refused:
		if v.BeforeCopy && online != nil && !online.Blocking() {
			// The server runs this ALTER online in place: production needs no copier, and a
			// refusal for the table's shape (not its data) changes nothing there.
			return nil
		}
		f.Rule = finding.CopierRefused
		f.Message = fmt.Sprintf("the online copier would refuse this change of `%s`: %s", table,
			strings.TrimPrefix(firstLine(v.Detail), "the copier refuses: "))
		f.Fix = v.Detail
		if v.BeforeCopy {
			f.Fix = "The copier cannot change this table as it is; change it another way: an ALTER the server runs " +
				"online (ALGORITHM=INSTANT, or INPLACE with LOCK=NONE), or first remove what the copier refuses.\n" + v.Detail
		}
	default:
		return nil
	}
	f.Severity = c.reg.Lookup(f.Rule).Severity
	c.add(st, f)
	return nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
