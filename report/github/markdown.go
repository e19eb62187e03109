package github

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/report"
)

// stepSummaryLimit keeps the job summary under GitHub's 1 MiB per step, which rejects a larger
// summary whole rather than cutting it.
const stepSummaryLimit = 1_000_000

// Cell sizes: a table row stays readable, and one huge message cannot take the whole budget.
const (
	messageCellLimit = 600
	fixCellLimit     = 300
	otherCellLimit   = 200
)

// mdOptions configure markdown.
type mdOptions struct {
	Limit       int              // bytes the text must fit in
	FailOn      finding.Severity // the threshold the verdict line reports
	Elsewhere   string           // where a reader finds the findings a truncated table leaves out
	CheckRunURL string           // linked from the heading when there is a check run
}

// markdown renders the report for the job summary, the check run's summary and the comment, in
// at most o.Limit bytes. The findings table gets what the other sections leave and is cut, with
// a line saying how many rows it left out, when the findings do not fit.
func markdown(rep *report.Report, o mdOptions) string {
	head := heading(rep, o)
	tail := driftSection(rep.Drift, o.Limit/8) + copierSection(rep.Copier, o.Limit/8) + timingSection(rep)
	findings := findingsSection(rep.Findings, o.Limit-len(head)-len(tail), o.Elsewhere)
	// Only a limit too small for the heading and the timings gets here; cut rather than exceed.
	return clip(head+findings+tail, o.Limit)
}

// heading is the verdict and the counts, with what was replayed where.
func heading(rep *report.Report, o mdOptions) string {
	var b strings.Builder
	verdict := "✅ passed"
	if Failed(rep, o.FailOn) {
		verdict = "❌ failed"
	}
	fmt.Fprintf(&b, "### schema-guard: %s\n\n", verdict)
	threshold := "errors"
	if o.FailOn == finding.Warning {
		threshold = "errors and warnings"
	}
	fmt.Fprintf(&b, "**%s** · %s replayed on %s · fails on %s\n",
		tally(rep.Findings), plural(len(rep.Migrations), "migration"), escapeCell(rep.Engine.Describe()), threshold)
	if rep.Source.BaseSHA != "" {
		fmt.Fprintf(&b, "\nBase: `%.12s` (%s); the migrations after it are pending.\n", rep.Source.BaseSHA, escapeCell(rep.Source.BaseRef))
	}
	if o.CheckRunURL != "" {
		fmt.Fprintf(&b, "\nEvery finding is annotated in the [check run](%s).\n", o.CheckRunURL)
	}
	return b.String()
}

// findingsSection is the findings table, cut to budget bytes.
func findingsSection(fs []finding.Finding, budget int, elsewhere string) string {
	const title = "\n#### Findings\n\n"
	if len(fs) == 0 {
		return clip(title+"No findings.\n", max(budget, 0))
	}
	leftOut := func(n int) string {
		return fmt.Sprintf("_… and %s, left out to stay within GitHub's size limit: %s lists them all._",
			plural(n, "more finding"), elsewhere)
	}
	row := func(i int) []string { return findingRow(fs[i]) }
	return title + table([]string{"Severity", "Rule", "Location", "Message"}, len(fs), row, budget-len(title), leftOut)
}

// findingRow is one finding in the table; an allowed finding says so instead of its severity.
func findingRow(f finding.Finding) []string {
	severity := string(f.Severity)
	if f.Allowed {
		severity = "allowed " + severity
	}
	location := "—"
	if f.File != "" {
		location = "`" + escapeCell(clip(f.Pos(), otherCellLimit)) + "`"
	}
	msg := escapeCell(clip(f.Message, messageCellLimit))
	switch {
	case f.Allowed:
		msg += "<br>**Allowed:** " + escapeCell(clip(f.Reason, fixCellLimit))
	case f.Fix != "":
		msg += "<br>**Fix:** " + escapeCell(clip(strings.TrimSpace(f.Fix), fixCellLimit))
	}
	return []string{severity, "`" + escapeCell(clip(string(f.Rule), otherCellLimit)) + "`", location, msg}
}

// driftSection lists the differences from the declared schema, cut to budget bytes.
func driftSection(ds []report.Drift, budget int) string {
	if len(ds) == 0 {
		return ""
	}
	const title = "\n#### Drift from the declared schema\n\n"
	row := func(i int) []string {
		d := ds[i]
		return []string{
			escapeCell(clip(d.Object, otherCellLimit)), escapeCell(d.Kind), escapeCell(d.Change),
			escapeCell(clip(d.Fix, fixCellLimit)),
		}
	}
	leftOut := func(n int) string {
		return fmt.Sprintf("_… and %s: the JSON report lists them all._", plural(n, "more difference"))
	}
	return title + table([]string{"Object", "Kind", "Change", "Fix"}, len(ds), row, budget-len(title), leftOut)
}

// copierSection lists the online copier's dry-run verdicts, cut to budget bytes.
func copierSection(cs []report.Copier, budget int) string {
	if len(cs) == 0 {
		return ""
	}
	const title = "\n#### Online copier dry run\n\n"
	row := func(i int) []string {
		c := cs[i]
		estimate := "—"
		if c.EstimatedSeconds > 0 {
			estimate = fmt.Sprintf("%s for %d rows", time.Duration(c.EstimatedSeconds)*time.Second, c.ProductionRows)
		}
		location := fmt.Sprintf("%s:%d", c.File, c.Line)
		return []string{
			"`" + escapeCell(clip(c.Table, otherCellLimit)) + "`",
			"`" + escapeCell(clip(location, otherCellLimit)) + "`",
			escapeCell(c.Verdict),
			strconv.FormatInt(c.RowsPerSecond, 10),
			fmt.Sprintf("%d / %d / %d", c.RowsLost, c.RowsAdded, c.RowsChanged),
			estimate,
			escapeCell(clip(c.Detail, fixCellLimit)),
		}
	}
	leftOut := func(n int) string {
		return fmt.Sprintf("_… and %s: the JSON report lists them all._", plural(n, "more verdict"))
	}
	header := []string{"Table", "Statement", "Verdict", "Rows/s", "Lost / added / changed", "Production estimate", "Detail"}
	return title + table(header, len(cs), row, budget-len(title), leftOut)
}

// timingSection is where the run's time went, and on what server.
func timingSection(rep *report.Report) string {
	var b strings.Builder
	b.WriteString("\n#### Timings\n\n| Phase | Time |\n|---|---|\n")
	t := rep.Timings
	for _, p := range []struct {
		name string
		ms   int64
	}{{"Replay", t.Replay}, {"Rules (part of replay)", t.Rules}, {"Online copier (part of rules)", t.Copier}, {"Drift", t.Drift}} {
		if p.ms > 0 || p.name == "Replay" {
			fmt.Fprintf(&b, "| %s | %s |\n", p.name, millis(p.ms))
		}
	}
	fmt.Fprintf(&b, "| **Total** | **%s** |\n", millis(rep.DurationMS))
	fmt.Fprintf(&b, "\nEngine: %s, started in %s.\n", escapeCell(rep.Engine.Describe()), millis(rep.Engine.StartupMS))
	return b.String()
}

// table renders n rows under header, leaving out the rows that would take it past budget bytes
// and ending with leftOut's line saying how many it left out. The line's room is kept from the
// start, so that the cut table still fits. Rows are made on demand: of 20,000 findings only the
// few hundred that fit are escaped.
func table(header []string, n int, row func(i int) []string, budget int, leftOut func(n int) string) string {
	var b strings.Builder
	b.WriteString(tableRow(header))
	b.WriteString("|" + strings.Repeat("---|", len(header)) + "\n")
	reserve := len(leftOut(n)) + 2
	if b.Len()+reserve > budget {
		if note := leftOut(n) + "\n"; len(note) <= budget {
			return note
		}
		return ""
	}
	for i := range n {
		line := tableRow(row(i))
		if b.Len()+len(line)+reserve > budget {
			b.WriteString("\n" + leftOut(n-i) + "\n")
			break
		}
		b.WriteString(line)
	}
	return b.String()
}

// tableRow is one markdown table row of already escaped cells.
func tableRow(cells []string) string {
	return "| " + strings.Join(cells, " | ") + " |\n"
}

// cellEscaper keeps text inside one table cell: a pipe would end the cell and a newline the row,
// and markup in a SQL message (a < b) must show as text.
var cellEscaper = strings.NewReplacer(
	"|", `\|`,
	"\r\n", "<br>",
	"\n", "<br>",
	"\r", "",
	"&", "&amp;",
	"<", "&lt;",
	">", "&gt;",
)

// escapeCell escapes text for a markdown table cell.
func escapeCell(s string) string { return cellEscaper.Replace(s) }

// millis is a duration for people: "850 ms", "4.2 s".
func millis(ms int64) string {
	if ms < 1000 {
		return fmt.Sprintf("%d ms", ms)
	}
	return fmt.Sprintf("%.1f s", float64(ms)/1000)
}
