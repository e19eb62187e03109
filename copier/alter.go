package copier

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"

	"github.com/schema-guard/schema-guard/migrations"
	"github.com/schema-guard/schema-guard/schema"
)

// alterPlan is what the copier reads from the ALTER before it creates anything. The TiDB
// parser's AST decides what the statement does; the text is only cut where the table's name
// ends, so the specifications reach the shadow table exactly as they were written.
type alterPlan struct {
	// clauses are the ALTER's specifications as written, to be applied to the shadow.
	clauses string
	// namesAlgorithm is set when the ALTER has its own ALGORITHM or LOCK clause: the shadow is
	// empty and rebuilt by the copy, so the shadow's ALTER ends with the defaults instead.
	namesAlgorithm bool
	// renames maps a column's new name to its old one, lower case.
	renames map[string]string
	// dropped, added: lower-case column names; a name in both is a new column.
	dropped, added map[string]bool
	// modified maps the lower-case old name of a column MODIFY or CHANGE redefines to its new
	// definition.
	modified map[string]*ast.ColumnDef
	// droppedIndexes are lower-case index names; DROP PRIMARY KEY is "primary".
	droppedIndexes map[string]bool
	// convert is set by CONVERT TO CHARACTER SET, which redefines every string column.
	convert bool
	// droppedForeignKeys are the lower-case names of the foreign keys the ALTER drops.
	droppedForeignKeys []string
	// autoIncrement is the ALTER's AUTO_INCREMENT = n, 0 when it has none (the server reads
	// AUTO_INCREMENT = 0 as no change too).
	autoIncrement uint64
}

// allowedSpecs are the specifications the copier applies to the shadow. Anything else —
// RENAME TO, partition operations, tablespace operations, TiDB's own — is refused: its meaning
// for a copied table is not the ALTER's meaning.
var allowedSpecs = map[ast.AlterTableType]bool{
	ast.AlterTableOption: true, ast.AlterTableAddColumns: true, ast.AlterTableAddConstraint: true,
	ast.AlterTableDropColumn: true, ast.AlterTableDropPrimaryKey: true, ast.AlterTableDropIndex: true,
	ast.AlterTableDropForeignKey: true, ast.AlterTableModifyColumn: true, ast.AlterTableChangeColumn: true,
	ast.AlterTableRenameColumn: true, ast.AlterTableAlterColumn: true, ast.AlterTableLock: true,
	ast.AlterTableAlgorithm: true, ast.AlterTableRenameIndex: true, ast.AlterTableForce: true,
	ast.AlterTableAlterCheck: true, ast.AlterTableDropCheck: true, ast.AlterTableIndexInvisible: true,
	ast.AlterTableEnableKeys: true, ast.AlterTableDisableKeys: true,
}

// parseAlter reads opts.Alter: an ALTER TABLE on table, or only its specifications. renames
// are Options.Renames; every column the ALTER renames must be among them.
func parseAlter(table, text string, renames map[string]string) (*alterPlan, error) {
	head, clauses, err := splitAlter(text)
	if err != nil {
		return nil, &Refusal{Reason: "cannot read the ALTER: " + err.Error(), BadInput: true}
	}
	if strings.TrimSpace(clauses) == "" {
		return nil, &Refusal{Reason: "the ALTER changes nothing", BadInput: true}
	}
	if head != nil {
		if head.ignore {
			return nil, &Refusal{Reason: "ALTER IGNORE TABLE deletes the rows that break a new unique key; the copier never drops rows: remove IGNORE and fix the duplicates"}
		}
		if head.schema != "" || !strings.EqualFold(head.table, table) {
			return nil, &Refusal{Reason: fmt.Sprintf("the ALTER is on %s, not on %s", head.qualified(), table), BadInput: true}
		}
	}
	stmts := []migrations.Statement{{Text: "ALTER TABLE " + schema.QuoteIdent(table) + " " + clauses}}
	migrations.NewParser().Parse(stmts)
	n, ok := stmts[0].Node.(*ast.AlterTableStmt)
	if !ok {
		msg := "not an ALTER TABLE"
		if stmts[0].ParseError != "" {
			msg = stmts[0].ParseError
		}
		return nil, &Refusal{Reason: "cannot parse the ALTER (" + msg + "); the copier only runs ALTER TABLE specifications the parser reads", BadInput: true}
	}
	p := &alterPlan{
		clauses: clauses, renames: map[string]string{}, dropped: map[string]bool{}, added: map[string]bool{},
		modified: map[string]*ast.ColumnDef{}, droppedIndexes: map[string]bool{},
	}
	for _, spec := range n.Specs {
		if err := p.read(spec); err != nil {
			return nil, err
		}
	}
	if len(n.Specs) == 0 {
		return nil, &Refusal{Reason: "the ALTER changes nothing", BadInput: true}
	}
	given := map[string]string{}
	for newName, oldName := range renames {
		given[strings.ToLower(newName)] = strings.ToLower(oldName)
	}
	for newName, oldName := range p.renames {
		if given[newName] != oldName {
			return nil, &Refusal{Reason: fmt.Sprintf("the ALTER renames column %s to %s; the copier copies values by name, so a rename must be declared: pass the rename %s=%s (new=old) to copy the values, or add the new column and drop the old one in separate steps", oldName, newName, newName, oldName)}
		}
	}
	return p, nil
}

// read records one specification.
func (p *alterPlan) read(spec *ast.AlterTableSpec) error {
	if !allowedSpecs[spec.Tp] {
		return &Refusal{Reason: "the ALTER has a specification the online copier does not run (" + specName(spec) + "); only column, index, constraint and table-option changes are copied"}
	}
	switch spec.Tp {
	case ast.AlterTableAlgorithm, ast.AlterTableLock:
		p.namesAlgorithm = true
	case ast.AlterTableAddColumns:
		for _, c := range spec.NewColumns {
			p.added[c.Name.Name.L] = true
		}
	case ast.AlterTableDropColumn:
		p.dropped[spec.OldColumnName.Name.L] = true
	case ast.AlterTableModifyColumn:
		c := spec.NewColumns[0]
		p.modified[c.Name.Name.L] = c
	case ast.AlterTableChangeColumn:
		c := spec.NewColumns[0]
		oldName, newName := spec.OldColumnName.Name.L, c.Name.Name.L
		p.modified[oldName] = c
		if oldName != newName {
			p.renames[newName] = oldName
		}
	case ast.AlterTableRenameColumn:
		if oldName, newName := spec.OldColumnName.Name.L, spec.NewColumnName.Name.L; oldName != newName {
			p.renames[newName] = oldName
		}
	case ast.AlterTableDropPrimaryKey:
		p.droppedIndexes["primary"] = true
	case ast.AlterTableDropIndex:
		p.droppedIndexes[strings.ToLower(spec.Name)] = true
	case ast.AlterTableDropForeignKey:
		p.droppedForeignKeys = append(p.droppedForeignKeys, strings.ToLower(spec.Name))
	case ast.AlterTableOption:
		for _, o := range spec.Options {
			if o.Tp == ast.TableOptionCharset && o.UintValue == ast.TableOptionCharsetWithConvertTo {
				p.convert = true
			}
			if o.Tp == ast.TableOptionAutoIncrement {
				p.autoIncrement = o.UintValue
			}
		}
	}
	return nil
}

// checkKey passes over a chunk key whose column the ALTER drops or renames, before anything is
// created; what the ALTER does to the key's definitions is judged on the shadow (chooseKey).
func (p *alterPlan) checkKey(k *chunkKey) error {
	what := "the chunk key " + k.describe()
	for _, c := range k.columns {
		name := strings.ToLower(c.Name)
		switch {
		case p.dropped[name] && !p.added[name]:
			return &Refusal{Reason: "the ALTER drops column " + c.Name + " of " + what + ", which the copy walks; the copier needs a primary key or a NOT NULL unique key whose columns the ALTER keeps"}
		case slices.Contains(mapValues(p.renames), name):
			return &Refusal{Reason: "the ALTER renames column " + c.Name + " of " + what + "; rename it in a separate step"}
		}
	}
	return nil
}

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// specName names a refused specification for the message.
func specName(spec *ast.AlterTableSpec) string {
	switch spec.Tp {
	case ast.AlterTableRenameTable:
		return "RENAME TO"
	case ast.AlterTableOrderByColumns:
		return "ORDER BY"
	}
	if partitionSpec(spec.Tp) {
		return "a partition operation"
	}
	return fmt.Sprintf("specification type %d", spec.Tp)
}

func partitionSpec(tp ast.AlterTableType) bool {
	switch tp {
	case ast.AlterTablePartition, ast.AlterTableRemovePartitioning, ast.AlterTableAddPartitions,
		ast.AlterTableCoalescePartitions, ast.AlterTableDropPartition, ast.AlterTableTruncatePartition,
		ast.AlterTableRebuildPartition, ast.AlterTableReorganizePartition, ast.AlterTableCheckPartitions,
		ast.AlterTableExchangePartition, ast.AlterTableOptimizePartition, ast.AlterTableRepairPartition,
		ast.AlterTableImportPartitionTablespace, ast.AlterTableDiscardPartitionTablespace,
		ast.AlterTablePartitionAttributes, ast.AlterTablePartitionOptions, ast.AlterTableDropFirstPartition,
		ast.AlterTableAddLastPartition, ast.AlterTableReorganizeLastPartition, ast.AlterTableReorganizeFirstPartition:
		return true
	}
	return false
}
