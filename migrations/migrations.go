// Package migrations reads a repository's migration files: it finds the directory, detects which
// tool's format it is in, orders the files exactly as that tool would, checksums them, splits each
// into statements that keep their file, line and column, and parses each statement with the TiDB
// parser. It also splits the files into deployed and pending against a git base ref and reports
// what was done to the history (edited, deleted, out-of-order, duplicate versions).
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
)

// Formats lists the concrete formats, in the order auto-detection tries them.
var Formats = []Format{GolangMigrate, Flyway, Goose, Dbmate, Plain}

// ParseFormat checks a --format value.
func ParseFormat(s string) (Format, error) {
	if s == "" {
		return Auto, nil
	}
	f := Format(strings.ToLower(s))
	if f == Auto {
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
	return "", fmt.Errorf("unknown format %q (want one of %s)", s, strings.Join(names, ", "))
}

// Kind is the role of a migration file.
type Kind int

// The kinds of migration files. Only Flyway has repeatable and baseline migrations.
const (
	Versioned  Kind = iota // runs once, in version order
	Repeatable             // Flyway R__: runs after all versioned ones, again whenever it changes
	Baseline               // Flyway B<version>__: stands in for all versions up to its own on an empty database
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

// File is one migration file.
type File struct {
	// Path is slash-separated and relative to the root of the file system it was read from, which
	// is the repository root: it is what findings and annotations show.
	Path        string
	Format      Format
	Kind        Kind
	Version     Version // zero for repeatable migrations
	Description string  // from the name: "add email" for V3__add_email.sql
	Content     []byte  // the bytes as read, BOM included
	Checksum    string  // hex SHA-256 of Content
}

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
