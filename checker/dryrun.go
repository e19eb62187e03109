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
	"github.com/schema-guard/schema-guard/copier/dryrun"
	"github.com/schema-guard/schema-guard/migrations"
	"github.com/schema-guard/schema-guard/report"
	"github.com/schema-guard/schema-guard/rules"
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

// dryRun runs the online copier on sampled data for a pending statement, records its verdict
// in the report's copier list and returns it for the rules (copier-data-loss, copier-failed,
// copier-refused).
func (c *compat) dryRun(ctx context.Context, st *migrations.Statement, table string, before, after *schema.Table, createTable string) (*rules.DryRun, error) {
	began := time.Now()
	s := c.s
	referencedBy, err := copier.ReferencedBy(ctx, s.Replayed.DB, table)
	if err != nil {
		return nil, err
	}
	copyDB, err := s.srv.CreateDatabase(ctx)
	if err != nil {
		return nil, err
	}
	defer copyDB.Drop(context.WithoutCancel(ctx))
	refDB, err := s.srv.CreateDatabase(ctx)
	if err != nil {
		return nil, err
	}
	defer refDB.Drop(context.WithoutCancel(ctx))

	h := fnv.New64a()
	fmt.Fprintf(h, "%s:%d", st.File, st.Line)
	opts := dryrun.Options{
		Before: before, After: after, CreateTable: createTable, Alter: st.Text,
		Rows: s.opts.SampleRows, ReferencedBy: referencedBy, Seed: int64(h.Sum64() >> 1), Flavor: s.srv.Flavor,
	}
	if s.opts.SampleDir != "" {
		csv, err := filepath.Abs(filepath.Join(s.opts.SampleDir, table+".csv"))
		if err != nil {
			return nil, err
		}
		// The sample's rows can reach the report (the copier shows the rows it lost).
		if err := checkPath(s.src.tree, csv); err != nil {
			return nil, fmt.Errorf("sample: %w", err)
		}
		if _, err := os.Stat(csv); err == nil {
			opts.SampleCSV = csv
		}
	}
	s.opts.Log.Info("dry-running the online copier", "file", st.File, "line", st.Line, "table", table)
	v, err := dryrun.Run(ctx, copyDB.DB, refDB.DB, opts)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("copier dry run of %s:%d: %w", st.File, st.Line, err)
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

	return &rules.DryRun{
		Table: table, Verdict: dryRunVerdicts[v.Verdict], SampleRows: v.SampleRows,
		RowsLost: v.RowsLost, RowsAdded: v.RowsAdded, RowsChanged: v.RowsChanged, Examples: v.Examples,
		BeforeCopy: v.BeforeCopy, Detail: v.Detail,
	}, nil
}

// dryRunVerdicts maps the dry run's verdicts to the rules'.
var dryRunVerdicts = map[string]rules.DryRunVerdict{
	dryrun.Lossless: rules.Lossless, dryrun.Lossy: rules.Lossy, dryrun.Refused: rules.Refused, dryrun.Failed: rules.Failed,
}
