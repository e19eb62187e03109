package runner

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"

	"github.com/schema-guard/schema-guard/internal/sqllex"
	"github.com/schema-guard/schema-guard/migrations"
	"github.com/schema-guard/schema-guard/schema"
)

// This file writes a DDL statement with a given ALGORITHM and LOCK, for MeasureOnline. The AST
// decides what the statement is and which algorithm and lock it names itself; a small tokenizer
// (quotes, comments and parentheses, nothing more) only locates those clauses in the text, so the
// rest of the statement reaches the server exactly as the migration wrote it. When the two
// disagree — a clause the tokenizer cannot place — the statement is refused with an error
// rather than guessed at.

// onlineForm is a statement as MeasureOnline asks the server about it.
type onlineForm struct {
	text string // the statement as written
	// Algorithm and Lock are the statement's own clauses (upper case), "" where it names none
	// or DEFAULT. Production runs the statement with them, so they bound what is measured.
	algorithm, lock string
	// rebuild says why the statement rebuilds the whole table whatever an empty copy answers
	// (ENGINE=, FORCE, ORDER BY, partitioning); "" otherwise.
	rebuild string
	// write returns the statement with ALGORITHM=algorithm and, unless lock is "", LOCK=lock in
	// place of its own clauses.
	write func(algorithm, lock string) string
}

// readOnlineForm reads st for MeasureOnline:
//
//   - ALTER TABLE: the clauses go right after the table name ("ALTER TABLE t ALGORITHM=…,
//     LOCK=…, <specifications>"), where the grammar always takes them, once the statement's own
//     ALGORITHM and LOCK are removed;
//   - CREATE INDEX: " ALGORITHM=… LOCK=…" at the end, once trailing ones are removed;
//   - DROP INDEX: measured as the equivalent ALTER TABLE … DROP INDEX, because MariaDB's DROP
//     INDEX takes neither clause (MySQL's does).
//
// Not supported, with an error: statements with executable comments (/*! … */, whose content
// the server runs), and statements the TiDB parser cannot read (MariaDB's ALGORITHM=NOCOPY,
// ALTER ONLINE TABLE).
func readOnlineForm(st *migrations.Statement) (*onlineForm, error) {
	if st == nil || st.Node == nil {
		msg := "no statement"
		if st != nil {
			msg = "the parser cannot read the statement: " + st.ParseError
		}
		return nil, errors.New(msg)
	}
	text := st.Text
	if strings.Contains(text, "/*!") || strings.Contains(text, "/*M!") {
		return nil, errors.New("it has executable comments (/*! … */), whose content only the server reads")
	}
	toks, err := sqlTokens(text)
	if err != nil {
		return nil, err
	}
	f := &onlineForm{text: text}
	switch n := st.Node.(type) {
	case *ast.AlterTableStmt:
		f.algorithm, f.lock, f.rebuild = alterClauses(n)
		if f.write, err = alterWithClauses(n, text, toks); err != nil {
			return nil, err
		}
	case *ast.CreateIndexStmt:
		if n.LockAlg != nil {
			f.algorithm, f.lock = algorithmName(n.LockAlg.AlgorithmTp), lockName(n.LockAlg.LockTp)
		}
		end, found := trailingClauses(toks)
		if found != (n.LockAlg != nil) {
			return nil, errors.New("cannot locate the statement's ALGORITHM or LOCK clause")
		}
		base := text[:end]
		f.write = func(algorithm, lock string) string {
			s := base + " ALGORITHM=" + algorithm
			if lock != "" {
				s += " LOCK=" + lock
			}
			return s
		}
	case *ast.DropIndexStmt:
		if n.Table == nil {
			return nil, errors.New("DROP INDEX without a table")
		}
		if n.LockAlg != nil {
			f.algorithm, f.lock = algorithmName(n.LockAlg.AlgorithmTp), lockName(n.LockAlg.LockTp)
		}
		base := "ALTER TABLE " + schema.QuoteIdent(n.Table.Name.O)
		spec := "DROP INDEX "
		if n.IfExists {
			spec += "IF EXISTS "
		}
		spec += schema.QuoteIdent(n.IndexName)
		f.write = func(algorithm, lock string) string { return prefixClauses(base, spec, algorithm, lock) }
		// As written, MariaDB's DROP INDEX takes no clause: the ALTER stands in for it.
		f.text = base + " " + spec
		if f.algorithm != "" || f.lock != "" {
			f.text = f.write(or(f.algorithm, "DEFAULT"), f.lock)
		}
	default:
		return nil, fmt.Errorf("not an ALTER TABLE, CREATE INDEX or DROP INDEX statement")
	}
	return f, nil
}

// partitionSpecs are the ALTER TABLE specifications that change partitioning.
var partitionSpecs = map[ast.AlterTableType]bool{
	ast.AlterTablePartition: true, ast.AlterTableRemovePartitioning: true, ast.AlterTableAddPartitions: true,
	ast.AlterTableCoalescePartitions: true, ast.AlterTableDropPartition: true, ast.AlterTableTruncatePartition: true,
	ast.AlterTableRebuildPartition: true, ast.AlterTableReorganizePartition: true, ast.AlterTableCheckPartitions: true,
	ast.AlterTableExchangePartition: true, ast.AlterTableOptimizePartition: true, ast.AlterTableRepairPartition: true,
	ast.AlterTableImportPartitionTablespace: true, ast.AlterTableDiscardPartitionTablespace: true,
	ast.AlterTablePartitionAttributes: true, ast.AlterTablePartitionOptions: true,
	ast.AlterTableDropFirstPartition: true, ast.AlterTableAddLastPartition: true,
	ast.AlterTableReorganizeLastPartition: true, ast.AlterTableReorganizeFirstPartition: true,
}

// alterClauses returns an ALTER TABLE's own algorithm and lock ("" for none or DEFAULT), and
// why it rebuilds the table whatever the server answers for an empty copy: ENGINE= (MariaDB
// answers INSTANT for ENGINE=InnoDB on an empty InnoDB table, yet a table with rows is rebuilt),
// FORCE, ORDER BY, and partitioning, which an empty copy cannot show either.
func alterClauses(n *ast.AlterTableStmt) (algorithm, lock, rebuild string) {
	for _, spec := range n.Specs {
		switch {
		case spec.Tp == ast.AlterTableAlgorithm:
			algorithm = algorithmName(spec.Algorithm)
		case spec.Tp == ast.AlterTableLock:
			lock = lockName(spec.LockType)
		case spec.Tp == ast.AlterTableForce:
			rebuild = "FORCE rebuilds the table"
		case spec.Tp == ast.AlterTableOrderByColumns:
			rebuild = "ORDER BY rebuilds the table"
		case partitionSpecs[spec.Tp] || spec.Partition != nil:
			rebuild = "a partitioning change rewrites the table's partitions"
		case spec.Tp == ast.AlterTableOption:
			for _, o := range spec.Options {
				if o.Tp == ast.TableOptionEngine {
					rebuild = "ENGINE= rebuilds the table"
				}
			}
		}
	}
	return algorithm, lock, rebuild
}

func algorithmName(a ast.AlgorithmType) string {
	if a == ast.AlgorithmTypeDefault {
		return ""
	}
	return a.String()
}

func lockName(l ast.LockType) string {
	if l == ast.LockTypeDefault {
		return ""
	}
	return l.String()
}

func or(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// alterWithClauses removes an ALTER TABLE's own ALGORITHM and LOCK clauses and returns the
// writer that puts the measured ones in front of the specifications.
func alterWithClauses(n *ast.AlterTableStmt, text string, toks []sqlToken) (func(string, string) string, error) {
	clauses := 0
	for _, spec := range n.Specs {
		if spec.Tp == ast.AlterTableAlgorithm || spec.Tp == ast.AlterTableLock {
			clauses++
		}
	}
	start := alterSpecsStart(toks)
	if start < 0 {
		return nil, errors.New("cannot find where the ALTER TABLE specifications start")
	}
	var kept []string
	found := 0
	for _, seg := range splitTopLevel(toks[start:], ',') {
		if w := seg[0].word; w == "ALGORITHM" || w == "LOCK" {
			// ALGORITHM [=] x: anything more would be a clause the tokenizer misread.
			if rest := seg[1:]; len(rest) == 1 || (len(rest) == 2 && rest[0].punct == '=') {
				found++
				continue
			}
		}
		kept = append(kept, text[seg[0].start:seg[len(seg)-1].end])
	}
	if found != clauses {
		return nil, errors.New("cannot locate the statement's ALGORITHM or LOCK clauses")
	}
	base := text[:toks[start-1].end]
	specs := strings.Join(kept, ", ")
	return func(algorithm, lock string) string { return prefixClauses(base, specs, algorithm, lock) }, nil
}

// prefixClauses writes ALTER TABLE <base> ALGORITHM=…[, LOCK=…][, specs]: in front of the
// specifications the clauses never meet a list that a comma would continue (ORDER BY a, b) or a
// partitioning clause that must come last.
func prefixClauses(base, specs, algorithm, lock string) string {
	s := base + " ALGORITHM=" + algorithm
	if lock != "" {
		s += ", LOCK=" + lock
	}
	if specs != "" {
		s += ", " + specs
	}
	return s
}

// alterSpecsStart returns the index of the first token after ALTER [ONLINE] [IGNORE] TABLE
// [IF EXISTS] name, or -1.
func alterSpecsStart(toks []sqlToken) int {
	i := 0
	next := func(word string) bool {
		if i < len(toks) && toks[i].word == word {
			i++
			return true
		}
		return false
	}
	if !next("ALTER") {
		return -1
	}
	for next("ONLINE") || next("IGNORE") {
	}
	if !next("TABLE") {
		return -1
	}
	if i+1 < len(toks) && toks[i].word == "IF" && toks[i+1].word == "EXISTS" {
		i += 2
	}
	// The name: an identifier, or database.table.
	if i >= len(toks) || !toks[i].ident {
		return -1
	}
	i++
	if i+1 < len(toks) && toks[i].punct == '.' && toks[i+1].ident {
		i += 2
	}
	if i >= len(toks) {
		return -1
	}
	return i
}

// trailingClauses finds ALGORITHM [=] x and LOCK [=] x clauses at the end of a statement (where
// CREATE INDEX takes them) and returns the offset where they start, or the end of the last
// token when there are none, and whether there were any.
func trailingClauses(toks []sqlToken) (int, bool) {
	i := len(toks)
	for i >= 2 {
		j := i - 2
		if toks[j].punct == '=' {
			j--
		}
		if j < 0 || (toks[j].word != "ALGORITHM" && toks[j].word != "LOCK") || !toks[i-1].ident {
			break
		}
		i = j
	}
	if i == len(toks) {
		return toks[len(toks)-1].end, false
	}
	return toks[i-1].end, true
}

// splitTopLevel splits tokens at sep outside parentheses; empty parts are dropped.
func splitTopLevel(toks []sqlToken, sep byte) [][]sqlToken {
	var parts [][]sqlToken
	depth, from := 0, 0
	for i, t := range toks {
		switch t.punct {
		case '(':
			depth++
		case ')':
			depth--
		case sep:
			if depth == 0 {
				if i > from {
					parts = append(parts, toks[from:i])
				}
				from = i + 1
			}
		}
	}
	if from < len(toks) {
		parts = append(parts, toks[from:])
	}
	return parts
}

// sqlToken is a token of SQL text: a word (keyword or bare identifier, upper-cased in word), a
// quoted identifier or string, or one punctuation byte.
type sqlToken struct {
	start, end int
	word       string // upper-cased bare word; "" otherwise
	ident      bool   // a bare word or a `quoted` identifier
	punct      byte   // the punctuation byte; 0 otherwise
}

// sqlTokens splits text into tokens, skipping whitespace and comments.
func sqlTokens(text string) ([]sqlToken, error) {
	var toks []sqlToken
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '#' || (c == '-' && strings.HasPrefix(text[i:], "--") && (i+2 == len(text) || text[i+2] <= ' ')):
			end := strings.IndexByte(text[i:], '\n')
			if end < 0 {
				return toks, nil
			}
			i += end + 1
		case c == '/' && strings.HasPrefix(text[i:], "/*"):
			end := strings.Index(text[i+2:], "*/")
			if end < 0 {
				return nil, errors.New("unterminated comment")
			}
			i += end + 4
		case c == '\'' || c == '"' || c == '`':
			end := sqllex.SkipQuoted(text, i)
			if end > len(text) {
				return nil, errors.New("unterminated quoted string")
			}
			toks = append(toks, sqlToken{start: i, end: end, ident: c == '`'})
			i = end
		case isWordByte(c):
			j := i
			for j < len(text) && isWordByte(text[j]) {
				j++
			}
			toks = append(toks, sqlToken{start: i, end: j, word: strings.ToUpper(text[i:j]), ident: true})
			i = j
		default:
			toks = append(toks, sqlToken{start: i, end: i + 1, punct: c})
			i++
		}
	}
	if len(toks) == 0 {
		return nil, errors.New("empty statement")
	}
	return toks, nil
}

// isWordByte reports whether c may be part of a bare word: letters, digits, _ and $, and any
// byte of a multibyte UTF-8 character (MySQL allows those in unquoted identifiers).
func isWordByte(c byte) bool {
	return c >= 0x80 || c == '_' || c == '$' || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}
