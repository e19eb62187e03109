package dryrun

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/schema-guard/schema-guard/schema"
)

// This file reads the user's own sample: a CSV file (RFC 4180: fields separated by commas,
// records by LF or CRLF, a field in double quotes may hold commas, line breaks and doubled
// quotes) whose header row names the table's columns. encoding/csv is not used because it
// cannot tell an empty field from "": here the first is NULL and the second an empty string.

// csvField is one field of a record.
type csvField struct {
	text   string
	quoted bool
}

// csvRecord is one record, with the line it starts on.
type csvRecord struct {
	line   int
	fields []csvField
}

// csvSyntaxError is a CSV file that is not well formed, at a line.
type csvSyntaxError struct {
	line int
	err  error
}

func (e *csvSyntaxError) Error() string { return fmt.Sprintf("line %d: %v", e.line, e.err) }

// parseCSV splits data into records. Blank lines are skipped.
func parseCSV(data []byte) ([]csvRecord, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a byte-order mark some editors write
	var recs []csvRecord
	line, i := 1, 0
	for i < len(data) {
		rec := csvRecord{line: line}
		for {
			f, n, lines, err := csvFieldAt(data[i:])
			if err != nil {
				return nil, &csvSyntaxError{line: line + lines, err: err}
			}
			rec.fields = append(rec.fields, f)
			i += n
			line += lines
			if i < len(data) && data[i] == ',' {
				i++
				continue
			}
			if i < len(data) && data[i] == '\r' {
				i++
			}
			if i < len(data) && data[i] == '\n' {
				i++
				line++
			}
			break
		}
		if len(rec.fields) == 1 && rec.fields[0] == (csvField{}) {
			continue
		}
		recs = append(recs, rec)
	}
	return recs, nil
}

// csvFieldAt reads the field at the start of data; it returns the bytes it took and the line
// breaks inside it (a quoted field may span lines).
func csvFieldAt(data []byte) (csvField, int, int, error) {
	if len(data) == 0 || data[0] != '"' {
		end := bytes.IndexAny(data, ",\r\n")
		if end < 0 {
			end = len(data)
		}
		if bytes.IndexByte(data[:end], '"') >= 0 {
			return csvField{}, 0, 0, errors.New(`a double quote inside an unquoted field (quote the field and double the quote)`)
		}
		return csvField{text: string(data[:end])}, end, 0, nil
	}
	var b strings.Builder
	lines := 0
	for i := 1; i < len(data); i++ {
		switch c := data[i]; {
		case c == '"' && i+1 < len(data) && data[i+1] == '"':
			b.WriteByte('"')
			i++
		case c == '"':
			if i+1 < len(data) && !strings.ContainsRune(",\r\n", rune(data[i+1])) {
				return csvField{}, 0, lines, errors.New("text after a closing double quote")
			}
			return csvField{text: b.String(), quoted: true}, i + 1, lines, nil
		default:
			if c == '\n' {
				lines++
			}
			b.WriteByte(c)
		}
	}
	return csvField{}, 0, 0, errors.New("a quoted field is not closed") // the line where it opens
}

// readSampleCSV reads the user's sample for the generator's table. Columns the header leaves
// out take their defaults; an empty unquoted field is NULL. Errors name the file and line.
func (g *generator) readSampleCSV(path string) ([]sampleRow, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("sample: %w", err)
	}
	recs, err := parseCSV(data)
	var se *csvSyntaxError
	if errors.As(err, &se) {
		return nil, fmt.Errorf("%s:%d: %w", path, se.line, se.err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: empty, without a header row", path)
	}
	head := recs[0]
	cols := make([]int, len(head.fields))
	seen := map[int]bool{}
	for j, f := range head.fields {
		name := strings.TrimSpace(f.text)
		i, err := g.csvColumn(name)
		if err == nil && seen[i] {
			err = fmt.Errorf("column %q appears twice", name)
		}
		if err != nil {
			return nil, fmt.Errorf("%s:%d: header: %w", path, head.line, err)
		}
		seen[i], cols[j] = true, i
	}
	rows := make([]sampleRow, 0, len(recs)-1)
	for _, rec := range recs[1:] {
		if len(rec.fields) != len(cols) {
			return nil, fmt.Errorf("%s:%d: %d fields, the header has %d", path, rec.line, len(rec.fields), len(cols))
		}
		r := sampleRow{vals: make([]cell, len(g.cols)), line: rec.line}
		for i := range r.vals {
			r.vals[i] = cell{omit: !seen[i]}
		}
		for j, f := range rec.fields {
			v, err := g.cols[cols[j]].fromCSV(f)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: column %s: %w", path, rec.line, g.cols[cols[j]].col.Name, err)
			}
			r.vals[cols[j]] = v
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// csvColumn finds a header's column among those rows write.
func (g *generator) csvColumn(name string) (int, error) {
	for i, cg := range g.cols {
		if strings.EqualFold(cg.col.Name, name) {
			return i, nil
		}
	}
	if c := g.table.Column(name); c != nil && c.Generated != nil {
		return 0, fmt.Errorf("column %q is generated: leave it out, the server computes it", name)
	} else if c != nil {
		return 0, fmt.Errorf("column %q: cannot write values of type %s", name, c.Type)
	}
	return 0, fmt.Errorf("table %s has no column %q", g.table.Name, name)
}

// fromCSV makes a cell from a CSV field: the field's text as the column's value, except that
// an empty unquoted field is NULL and a BIT column takes a number (its text would be bytes).
func (c *colGen) fromCSV(f csvField) (cell, error) {
	if !f.quoted && f.text == "" {
		return nullValue, nil
	}
	if c.typ.Family == schema.FamilyBit {
		s := strings.TrimSpace(f.text)
		base := 10
		if t, ok := strings.CutPrefix(strings.ToLower(s), "b'"); ok && strings.HasSuffix(t, "'") {
			s, base = strings.TrimSuffix(t, "'"), 2
		}
		v, err := strconv.ParseUint(s, base, 64)
		if err != nil {
			return cell{}, fmt.Errorf("%q is not a number for a BIT column", f.text)
		}
		return cell{lit: "b'" + strconv.FormatUint(v, 2) + "'", key: strconv.FormatUint(v, 10)}, nil
	}
	return c.text(f.text), nil
}
