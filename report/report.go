// Package report holds the result of a check run in its stable, versioned form and writes it as
// text for people or JSON for programs. The JSON keys are a contract: version 1 only ever gains
// fields.
package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/schema-guard/schema-guard/finding"
)

// FormatVersion is the version of the JSON report.
const FormatVersion = 1

// Report is the result of one check run.
type Report struct {
	Version    int               `json:"version"`
	Engine     Engine            `json:"engine"`
	Source     Source            `json:"source"`
	Migrations []Migration       `json:"migrations"`
	Findings   []finding.Finding `json:"findings"`
	Drift      []Drift           `json:"drift"`
	Copier     []Copier          `json:"copier"`
	Summary    Summary           `json:"summary"`
	// Schema summarises the replayed final state.
	Schema *SchemaSummary `json:"schema,omitempty"`
	// DurationMS is the wall time of the whole run.
	DurationMS int64 `json:"duration_ms"`
	// Timings are the wall times of the run's phases that took place.
	Timings Timings `json:"timings_ms"`
}

// Timings are phase wall times in milliseconds.
type Timings struct {
	// Replay covers creating the scratch database, replaying and introspecting the result.
	Replay int64 `json:"replay"`
	// Drift covers loading the declared state, introspecting it, diffing and comparing seeds.
	Drift int64 `json:"drift,omitempty"`
	// Rules is the part of Replay spent judging pending statements: introspecting the touched
	// tables around each, measuring ALTERs online, calibrating and running the old-app probes.
	Rules int64 `json:"rules,omitempty"`
	// Copier is the part of Rules spent dry-running the online copier.
	Copier int64 `json:"copier,omitempty"`
}

// Engine describes the server the migrations were replayed on.
type Engine struct {
	Kind          string `json:"kind"` // container | dsn
	Flavor        string `json:"flavor"`
	ServerVersion string `json:"server_version"`
	Image         string `json:"image,omitempty"`
	StartupMS     int64  `json:"startup_ms"`
	// Sandbox is the account of the run's own the migrations ran as (dsn engine), when the
	// DSN's account could create one.
	Sandbox string `json:"sandbox_account,omitempty"`
	// Throwaway is set when the migrations ran with the DSN's own account on a server declared
	// a throwaway one.
	Throwaway bool `json:"throwaway_server,omitempty"`
}

// Source describes where the migrations came from and what they were compared with.
type Source struct {
	Dir    string `json:"dir"`
	Format string `json:"format"`
	// BaseRef and BaseSHA are empty when there is no base ref: every migration is then pending.
	BaseRef string `json:"base_ref,omitempty"`
	BaseSHA string `json:"base_sha,omitempty"`
	// Schema is the declared state compared with, when there is one.
	Schema string `json:"schema,omitempty"`
	// Histories lists every migration directory when there are several (Dir and Format are the
	// first's), in replay order.
	Histories []History `json:"histories,omitempty"`
}

// History is one migration directory of a check that replays several.
type History struct {
	Dir    string `json:"dir"`
	Format string `json:"format"`
}

// Migration is one replay step.
type Migration struct {
	File string `json:"file"`
	// ID names a Liquibase changeset ("author:id"), one of several migrations of its file.
	ID          string `json:"id,omitempty"`
	Version     string `json:"version"`
	Kind        string `json:"kind"`  // versioned | repeatable | baseline
	State       string `json:"state"` // deployed | pending
	Applied     bool   `json:"applied"`
	Statements  int    `json:"statements"`
	DurationMS  int64  `json:"duration_ms"`
	Checksum    string `json:"checksum"`
	SkipReason  string `json:"skip_reason,omitempty"`
	Description string `json:"description,omitempty"`
}

// Drift is a difference between the replayed schema and the declared one.
type Drift struct {
	Object   string `json:"object"`
	Kind     string `json:"kind"`
	Change   string `json:"change"` // missing | extra | different
	Declared string `json:"declared"`
	Actual   string `json:"actual"`
	Fix      string `json:"fix"`
}

// Copier is the online copier's dry-run verdict for one ALTER.
type Copier struct {
	File          string   `json:"file"`
	Line          int      `json:"line"`
	Table         string   `json:"table"`
	SampleRows    int64    `json:"sample_rows"`
	Verdict       string   `json:"verdict"` // lossless | lossy | refused | failed
	RowsLost      int64    `json:"rows_lost"`
	RowsAdded     int64    `json:"rows_added"`
	RowsChanged   int64    `json:"rows_changed"`
	Examples      []string `json:"examples,omitempty"`
	RowsPerSecond int64    `json:"rows_per_second"`
	// ProductionRows and EstimatedSeconds are there when tables.<name>.rows is configured: the
	// copy's duration in production at the dry run's rate.
	ProductionRows   int64  `json:"production_rows,omitempty"`
	EstimatedSeconds int64  `json:"estimated_seconds,omitempty"`
	Detail           string `json:"detail"`
}

// Summary counts findings by severity.
type Summary struct {
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Notices  int `json:"notices"`
	Allowed  int `json:"allowed"`
}

// SchemaSummary counts the objects of the replayed final state.
type SchemaSummary struct {
	Tables   int `json:"tables"`
	Views    int `json:"views"`
	Triggers int `json:"triggers"`
	Routines int `json:"routines"`
}

// New returns an empty report of the current format version.
func New() *Report {
	return &Report{Version: FormatVersion, Migrations: []Migration{}, Findings: []finding.Finding{}, Drift: []Drift{}, Copier: []Copier{}}
}

// Add appends findings.
func (r *Report) Add(fs ...finding.Finding) { r.Findings = append(r.Findings, fs...) }

// Finish sorts the findings and computes the summary.
func (r *Report) Finish() {
	finding.Sort(r.Findings)
	r.Summary = Summary{}
	for _, f := range r.Findings {
		if f.Allowed {
			r.Summary.Allowed++
			continue
		}
		switch f.Severity {
		case finding.Error:
			r.Summary.Errors++
		case finding.Warning:
			r.Summary.Warnings++
		default:
			r.Summary.Notices++
		}
	}
}

// Failed reports whether an error-level finding stands: the check fails (exit code 1).
func (r *Report) Failed() bool { return r.Summary.Errors > 0 }

// Format is an output format.
type Format string

// The output formats. SARIF and GitHub are written by the command, which has the rules'
// documentation and the GitHub context they need.
const (
	Text   Format = "text"
	JSON   Format = "json"
	SARIF  Format = "sarif"
	GitHub Format = "github"
)

// ParseFormat checks an --output value; "" is text.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(s)); f {
	case Text, JSON, SARIF, GitHub:
		return f, nil
	case "":
		return Text, nil
	}
	return "", fmt.Errorf("unknown output %q (want text, json, sarif or github)", s)
}

// Write writes the report in the format; color applies to text only.
func Write(w io.Writer, r *Report, f Format, color bool) error {
	switch f {
	case JSON:
		return WriteJSON(w, r)
	default:
		return WriteText(w, r, color)
	}
}
