package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/schema-guard/schema-guard/finding"
)

// ANSI styles, used only when writing to a terminal.
const (
	red    = "\x1b[31m"
	yellow = "\x1b[33m"
	cyan   = "\x1b[36m"
	bold   = "\x1b[1m"
	dim    = "\x1b[2m"
	reset  = "\x1b[0m"
)

// WriteText writes the report for a person: a header line, the findings grouped by file, and a
// summary line.
func WriteText(w io.Writer, r *Report, color bool) error {
	t := &textWriter{bw: bufio.NewWriter(w), color: color}
	t.header(r)
	t.findings(r.Findings)
	t.summary(r)
	return t.bw.Flush()
}

// textWriter writes the parts of a text report, styled when color is set.
type textWriter struct {
	bw    *bufio.Writer
	color bool
}

func (t *textWriter) style(s, code string) string {
	if !t.color || code == "" {
		return s
	}
	return code + s + reset
}

func (t *textWriter) header(r *Report) {
	bw := t.bw
	fmt.Fprintf(bw, "%s %s · %s · %s\n", t.style("schema-guard", bold), r.Engine.Describe(), r.Source.Format, r.Source.Dir)
	if r.Source.BaseSHA != "" {
		fmt.Fprintf(bw, "base %.12s (%s)\n", r.Source.BaseSHA, r.Source.BaseRef)
	} else {
		fmt.Fprintln(bw, "no base ref: every migration is pending, history checks are off")
	}
	if r.Source.Schema != "" {
		fmt.Fprintf(bw, "declared schema %s: %s\n", r.Source.Schema, plural(len(r.Drift), "difference"))
	}
}

// findings writes the findings under a line per file, each with its evidence and fix.
func (t *textWriter) findings(findings []finding.Finding) {
	bw, style := t.bw, t.style
	var group string
	for _, f := range findings {
		if f.File != group {
			group = f.File
			fmt.Fprintf(bw, "\n%s\n", style(f.File, bold))
		}
		pos := ""
		if f.Line > 0 {
			pos = fmt.Sprint(f.Line)
			if f.Column > 0 {
				pos += fmt.Sprintf(":%d", f.Column)
			}
		}
		sev := fmt.Sprintf("%-7s", f.Severity)
		color := severityColor(f.Severity)
		if f.Allowed {
			sev, color = "allowed", dim
		}
		fmt.Fprintf(bw, "  %-7s %s %s  %s\n", pos, style(sev, color), style(string(f.Rule), cyan), f.Message)
		if f.Allowed {
			fmt.Fprintf(bw, "          %s %s\n", style("allowed:", dim), f.Reason)
			continue
		}
		for _, e := range f.Evidence {
			fmt.Fprintf(bw, "          %s %s\n          %s %s\n", style("old app:", dim), abbreviate(e.SQL), style("     →", dim), e.Error)
		}
		if f.Fix != "" {
			fix := strings.ReplaceAll(strings.TrimRight(f.Fix, "\n"), "\n", "\n          ")
			fmt.Fprintf(bw, "          %s %s\n", style("fix:", dim), fix)
		}
	}
	if len(findings) > 0 {
		fmt.Fprintln(bw)
	}
}

// summary writes what was replayed and the count of findings by severity.
func (t *textWriter) summary(r *Report) {
	bw := t.bw
	var deployed, pending, applied, statements int
	for _, m := range r.Migrations {
		if m.State == "deployed" {
			deployed++
		} else {
			pending++
		}
		if m.Applied {
			applied++
		}
		statements += m.Statements
	}
	fmt.Fprintf(bw, "%s (%d deployed, %d pending), %d applied, %s",
		plural(len(r.Migrations), "migration"), deployed, pending, applied, plural(statements, "statement"))
	if r.Schema != nil {
		fmt.Fprintf(bw, " → %s, %s, %s, %s", plural(r.Schema.Tables, "table"), plural(r.Schema.Views, "view"),
			plural(r.Schema.Triggers, "trigger"), plural(r.Schema.Routines, "routine"))
	}
	fmt.Fprintf(bw, " in %s\n", (time.Duration(r.DurationMS) * time.Millisecond).String())

	s := r.Summary
	line := fmt.Sprintf("%s, %s, %s", plural(s.Errors, "error"), plural(s.Warnings, "warning"), plural(s.Notices, "notice"))
	if s.Allowed > 0 {
		line += fmt.Sprintf(" (%d allowed)", s.Allowed)
	}
	if r.Failed() {
		fmt.Fprintln(bw, t.style("✗ "+line, red))
	} else {
		fmt.Fprintln(bw, "✓ "+line)
	}
}

// Describe is "mariadb 10.11.6 (dsn)" or "mysql 8.4.3 (container mysql:8.4)".
func (e Engine) Describe() string {
	switch {
	case e.Kind == "":
		return "no engine"
	case e.Image != "":
		return fmt.Sprintf("%s %s (container %s)", e.Flavor, e.ServerVersion, e.Image)
	case e.Sandbox != "":
		return fmt.Sprintf("%s %s (%s, as the run's own account %s)", e.Flavor, e.ServerVersion, e.Kind, e.Sandbox)
	case e.Throwaway:
		return fmt.Sprintf("%s %s (%s, declared throwaway: the migrations ran with the DSN's own account)", e.Flavor, e.ServerVersion, e.Kind)
	default:
		return fmt.Sprintf("%s %s (%s)", e.Flavor, e.ServerVersion, e.Kind)
	}
}

func severityColor(s finding.Severity) string {
	switch s {
	case finding.Error:
		return red
	case finding.Warning:
		return yellow
	}
	return ""
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// abbreviate shortens the long string literals of a probe statement for a reader: the probes
// write the longest values a column takes, which would fill screens. The JSON report keeps them.
func abbreviate(sql string) string {
	const keep, longer = 12, 32
	var b strings.Builder
	for i := 0; i < len(sql); {
		if sql[i] != '\'' {
			b.WriteByte(sql[i])
			i++
			continue
		}
		j := i + 1
		for j < len(sql) {
			if sql[j] == '\\' {
				j += 2
				continue
			}
			if sql[j] == '\'' {
				if j+1 < len(sql) && sql[j+1] == '\'' {
					j += 2
					continue
				}
				break
			}
			j++
		}
		lit := sql[i+1 : min(j, len(sql))]
		if runes := []rune(lit); len(runes) > longer {
			lit = fmt.Sprintf("%s…(%d characters)", string(runes[:keep]), len(runes))
		}
		b.WriteString("'" + lit + "'")
		i = j + 1
	}
	return b.String()
}
