// Package migrations reads a repository's migration files: it finds the directory, detects which
// tool's format it is in, orders the files exactly as that tool would, checksums them, splits each
// into statements that keep their file, line and column, and parses each statement with the TiDB
// parser. It also splits the files into deployed and pending against a git base ref, reports
// what was done to the history (edited, deleted, out-of-order, duplicate versions), and writes a
// new migration the way the directory's tool expects it (Compose). Its one job: a migration
// directory, in every tool's format, as that tool reads and writes it.
//
// Files are read through an fs.FS so the same code reads the working tree and a git commit.
package migrations

import (
	"fmt"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
)

// Format is a migration tool's file layout.
type Format string

// The formats schema-guard reads. Auto asks Discover to detect the format.
const (
	Auto          Format = "auto"
	Flyway        Format = "flyway"
	GolangMigrate Format = "golang-migrate"
	Goose         Format = "goose"
	Dbmate        Format = "dbmate"
	Plain         Format = "plain"
	Prisma        Format = "prisma"
	Liquibase     Format = "liquibase"
	Atlas         Format = "atlas"
	Temporal      Format = "temporal"
	// Custom reads names with the user's own pattern (Layout.Pattern); it is never detected.
	Custom Format = "custom"
)

// Formats lists the formats auto-detection can tell (every concrete one but Custom, which needs
// a pattern), each with a fixture in testdata/formats.
var Formats = []Format{GolangMigrate, Flyway, Goose, Dbmate, Plain, Prisma, Liquibase, Atlas, Temporal}

// ParseFormat checks a --format value.
func ParseFormat(s string) (Format, error) {
	if s == "" {
		return Auto, nil
	}
	f := Format(strings.ToLower(s))
	if f == Auto || f == Custom {
		return f, nil
	}
	for _, known := range Formats {
		if f == known {
			return f, nil
		}
	}
	names := []string{string(Auto)}
	for _, known := range Formats {
		names = append(names, string(known))
	}
	names = append(names, string(Custom))
	return "", fmt.Errorf("unknown format %q (want one of %s)", s, strings.Join(names, ", "))
}

// Kind is the role of a migration file.
type Kind int

// The kinds of migrations. Flyway has repeatable and baseline migrations, Liquibase repeatable
// ones (runOnChange, runAlways), Atlas baseline ones (checkpoints).
const (
	Versioned  Kind = iota // runs once, in version order
	Repeatable             // Flyway R__, Liquibase runOnChange: runs again whenever it changes
	Baseline               // Flyway B<version>__, Atlas checkpoint: stands in for all migrations before it on an empty database
)

func (k Kind) String() string {
	switch k {
	case Repeatable:
		return "repeatable"
	case Baseline:
		return "baseline"
	default:
		return "versioned"
	}
}

// File is one migration: a file, or one Liquibase changeset of a file.
type File struct {
	// Path is slash-separated and relative to the root of the file system it was read from, which
	// is the repository root: it is what findings and annotations show.
	Path        string
	Format      Format
	Kind        Kind
	Version     Version // zero for Flyway repeatables; a Liquibase changeset's is its "author:id"
	Description string  // from the name: "add email" for V3__add_email.sql
	Content     []byte  // the bytes of the file as read, BOM included
	// Checksum is the hex SHA-256 of what the tool counts as the migration: Content, or the
	// changeset's SQL for Liquibase (its rollback and comment lines do not count).
	Checksum string
	// ID names the migration inside its file when one file holds several: a Liquibase
	// changeset's "author:id". Empty otherwise.
	ID string
	// Line is the 1-based line where the migration starts in its file (a changeset's header);
	// 1 for whole files.
	Line int
	// Skip, when not empty, says why the tool never runs this migration (a Liquibase changeset
	// for another dbms, or marked ignore:true).
	Skip string
	// Always marks a migration that runs on every deploy (Liquibase runAlways:true).
	Always bool

	seq      int            // position among migrations of one version (a Temporal manifest's list)
	manifest []byte         // the version folder's manifest.json (Temporal)
	part     *changesetPart // the changeset's place in the file (Liquibase)
}

// Key identifies the migration in its history: its path, and its ID when the file holds several.
func (f *File) Key() string {
	switch {
	case f.ID == "":
		return f.Path
	case f.part != nil && f.part.logical != "":
		return f.part.logical + "::" + f.ID // Liquibase's logicalFilePath stands for the path
	}
	return f.Path + "::" + f.ID
}

// Name is how messages name the migration: its path, with the changeset when there is one.
func (f *File) Name() string {
	if f.ID == "" {
		return f.Path
	}
	return fmt.Sprintf("changeset %s of %s", f.ID, f.Path)
}

// startLine is the line findings about the migration as a whole point at.
func (f *File) startLine() int { return max(f.Line, 1) }

// Statement is one SQL statement of a migration, as it will be sent to the server.
type Statement struct {
	File    string // File.Path
	Line    int    // 1-based line of the statement's first character
	Column  int    // 1-based column (in characters) of the statement's first character
	EndLine int    // line of the statement's last character
	// Text is the statement without its delimiter and without the comments before it.
	Text string
	// Node is the parsed statement, or nil when the TiDB parser cannot parse it (CREATE TRIGGER,
	// CREATE EVENT, some MariaDB syntax). Such opaque statements are still replayed.
	Node ast.StmtNode
	// ParseError is the parser's message when Node is nil.
	ParseError string
}

// Opaque reports whether the parser could not parse the statement.
func (s *Statement) Opaque() bool { return s.Node == nil }
