package report

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/url"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/schema-guard/schema-guard/finding"
)

// The SARIF log's identity. GitHub code scanning reads only version 2.1.0; its documentation
// gives the schemastore address as the $schema to use.
const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
	toolName     = "schema-guard"
	toolURI      = "https://github.com/schema-guard/schema-guard"
	// srcRoot is the uriBaseId of every relative location: findings' paths are relative to the
	// repository root, which is what code scanning resolves relative URIs against.
	srcRoot = "%SRCROOT%"
	// fingerprintKey names schema-guard's own partial fingerprint. It is deliberately not
	// primaryLocationLineHash: upload-sarif computes that one from the source line, and warns
	// about every result whose given value differs from its own.
	fingerprintKey = "schemaGuardFindingHash/v1"
	// descriptionLimit is code scanning's limit for shortDescription and fullDescription.
	descriptionLimit = 1024
)

// RuleInfo documents a rule for reports that carry rule metadata (SARIF).
type RuleInfo struct {
	ID            finding.RuleID
	Summary, Help string
	Severity      finding.Severity
}

// The subset of SARIF 2.1.0 that schema-guard writes. Field order is the output's order.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool               sarifTool                   `json:"tool"`
		OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds"`
		ColumnKind         string                      `json:"columnKind"`
		Results            []sarifResult               `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		InformationURI string      `json:"informationUri"`
		Version        string      `json:"version,omitempty"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string          `json:"id"`
		ShortDescription     sarifMessage    `json:"shortDescription"`
		FullDescription      sarifMessage    `json:"fullDescription"`
		Help                 sarifMessage    `json:"help"`
		DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
	}
	sarifRuleConfig struct {
		Level string `json:"level"`
	}
	sarifMessage struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown,omitempty"`
	}
	sarifResult struct {
		RuleID              string             `json:"ruleId"`
		RuleIndex           int                `json:"ruleIndex"`
		Level               string             `json:"level"`
		Message             sarifMessage       `json:"message"`
		Locations           []sarifLocation    `json:"locations,omitempty"`
		PartialFingerprints map[string]string  `json:"partialFingerprints"`
		Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical `json:"physicalLocation"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
		Region           *sarifRegion     `json:"region,omitempty"`
	}
	sarifArtifactLoc struct {
		URI         string        `json:"uri,omitempty"`
		URIBaseID   string        `json:"uriBaseId,omitempty"`
		Description *sarifMessage `json:"description,omitempty"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn,omitempty"`
		EndLine     int `json:"endLine,omitempty"`
	}
	sarifSuppression struct {
		Kind          string `json:"kind"`
		Status        string `json:"status"`
		Justification string `json:"justification,omitempty"`
	}
)

// WriteSARIF writes r as a SARIF 2.1.0 log for github/codeql-action/upload-sarif.
//
// The log has one run. Its rules are every rule given plus any rule id the findings use that
// was not given, sorted by id; code scanning expects the rule set to change with the tool, not
// with the code, so rules without findings stay in. A rule's fullDescription is the first
// paragraph of its Help (what it catches), cut to the 1,024 characters code scanning keeps; help
// carries all of it, as text and as markdown. Allowed findings are results with an
// in-source suppression carrying the comment's reason, which code scanning shows as closed
// rather than dropping: a reviewer still sees what was let through and why. Output depends
// only on the arguments (findings in finding.Sort order, rules by id), so the same check gives
// the same bytes.
func WriteSARIF(w io.Writer, r *Report, rules []RuleInfo, toolVersion string) error {
	findings := slices.Clone(r.Findings)
	finding.Sort(findings)

	descriptors, index := sarifRules(rules, findings)
	results := make([]sarifResult, 0, len(findings))
	seen := map[string]int{} // fingerprint → occurrences so far
	for _, f := range findings {
		res := sarifResult{
			RuleID:    string(f.Rule),
			RuleIndex: index[f.Rule],
			Level:     sarifLevel(f.Severity),
			Message:   sarifMessage{Text: resultText(f)},
			Locations: sarifLocations(f),
		}
		// Identical findings (same rule, file and message) are told apart by their order, as
		// GitHub's own line hashes are, so each keeps its alert.
		fp := findingHash(f)
		seen[fp]++
		res.PartialFingerprints = map[string]string{fingerprintKey: fp + ":" + strconv.Itoa(seen[fp])}
		if f.Allowed {
			res.Suppressions = []sarifSuppression{{Kind: "inSource", Status: "accepted", Justification: f.Reason}}
		}
		results = append(results, res)
	}

	log := sarifLog{
		Schema:  sarifSchema,
		Version: sarifVersion,
		Runs: []sarifRun{{
			Tool: sarifTool{Driver: sarifDriver{
				Name: toolName, InformationURI: toolURI, Version: toolVersion, Rules: descriptors,
			}},
			OriginalURIBaseIDs: map[string]sarifArtifactLoc{
				srcRoot: {Description: &sarifMessage{Text: "The root of the repository that was checked."}},
			},
			// Finding columns count characters, not bytes or UTF-16 units.
			ColumnKind: "unicodeCodePoints",
			Results:    results,
		}},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(log)
}

// sarifRules builds the reporting descriptors and the index of each id among them.
func sarifRules(rules []RuleInfo, findings []finding.Finding) ([]sarifRule, map[finding.RuleID]int) {
	byID := map[finding.RuleID]RuleInfo{}
	for _, ri := range rules {
		if _, dup := byID[ri.ID]; !dup && ri.ID != "" {
			byID[ri.ID] = ri
		}
	}
	// A rule id nobody documented still needs a descriptor for ruleIndex to point at; the
	// strongest severity among its findings stands in for its default level.
	undocumented := map[finding.RuleID]bool{}
	for _, f := range findings {
		ri, ok := byID[f.Rule]
		switch {
		case !ok:
			undocumented[f.Rule] = true
			byID[f.Rule] = RuleInfo{ID: f.Rule, Severity: f.Severity}
		case undocumented[f.Rule] && f.Severity.Rank() < ri.Severity.Rank():
			ri.Severity = f.Severity
			byID[f.Rule] = ri
		}
	}
	infos := make([]RuleInfo, 0, len(byID))
	for _, ri := range byID {
		infos = append(infos, ri)
	}
	slices.SortFunc(infos, func(a, b RuleInfo) int { return cmp.Compare(a.ID, b.ID) })

	out := make([]sarifRule, len(infos))
	index := make(map[finding.RuleID]int, len(infos))
	for i, ri := range infos {
		index[ri.ID] = i
		short := cmp.Or(strings.TrimSpace(ri.Summary), string(ri.ID))
		help := cmp.Or(strings.TrimSpace(ri.Help), short)
		md := markdownHelp(ri.Help)
		if s := strings.TrimSpace(ri.Summary); s != "" {
			md = "**" + escapeMarkdown(s) + "**\n\n" + md
		}
		out[i] = sarifRule{
			ID:                   string(ri.ID),
			ShortDescription:     sarifMessage{Text: clipRunes(short, descriptionLimit)},
			FullDescription:      sarifMessage{Text: clipRunes(firstParagraph(help), descriptionLimit)},
			Help:                 sarifMessage{Text: help, Markdown: strings.TrimSpace(md)},
			DefaultConfiguration: sarifRuleConfig{Level: sarifLevel(ri.Severity)},
		}
	}
	return out, index
}

// sarifLevel maps a severity to SARIF's level; a notice is SARIF's "note".
func sarifLevel(s finding.Severity) string {
	switch s {
	case finding.Error:
		return "error"
	case finding.Warning:
		return "warning"
	default:
		return "note"
	}
}

// resultText is the message a reviewer reads first, then what to do instead.
func resultText(f finding.Finding) string {
	text := cmp.Or(strings.TrimSpace(f.Message), string(f.Rule))
	if fix := strings.TrimSpace(f.Fix); fix != "" {
		text += "\n" + fix
	}
	return text
}

// sarifLocations places a finding; a finding about no file (a server or configuration matter)
// has no location, which code scanning accepts but cannot annotate.
func sarifLocations(f finding.Finding) []sarifLocation {
	if f.File == "" {
		return nil
	}
	// Code scanning needs a start line; a finding about a whole file points at its first line.
	region := &sarifRegion{StartLine: max(f.Line, 1)}
	if f.Column > 0 {
		region.StartColumn = f.Column
	}
	if f.EndLine >= region.StartLine {
		region.EndLine = f.EndLine
	}
	return []sarifLocation{{PhysicalLocation: sarifPhysical{ArtifactLocation: artifactLocation(f.File), Region: region}}}
}

// artifactLocation turns a finding's path into a URI reference: relative paths stay relative to
// %SRCROOT%, so the same file gives the same URI on every runner (stable alerts); an absolute
// path becomes a file URI, which upload-sarif makes relative to the checkout when it can.
func artifactLocation(file string) sarifArtifactLoc {
	p := filepath.ToSlash(file)
	if filepath.IsAbs(file) || strings.HasPrefix(p, "/") {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p // a Windows drive path: file:///C:/…
		}
		return sarifArtifactLoc{URI: "file://" + (&url.URL{Path: p}).EscapedPath()}
	}
	p = path.Clean(p)
	uri := (&url.URL{Path: p}).EscapedPath()
	// A colon in the first segment would read as a URI scheme.
	if first, _, _ := strings.Cut(uri, "/"); strings.Contains(first, ":") {
		uri = "./" + uri
	}
	return sarifArtifactLoc{URI: uri, URIBaseID: srcRoot}
}

// findingHash identifies a finding across runs by what it says and where, not by its line:
// inserting lines above a migration statement must not turn its finding into a new alert.
func findingHash(f finding.Finding) string {
	h := sha256.New()
	for _, part := range []string{string(f.Rule), filepath.ToSlash(f.File), f.Message} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// firstParagraph is the text up to the first blank line, on one line.
func firstParagraph(s string) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if i := strings.Index(s, "\n\n"); i >= 0 {
		s = s[:i]
	}
	return strings.Join(strings.Fields(s), " ")
}

// clipRunes cuts s to at most n characters, marking the cut.
func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimRightFunc(string(r[:n-1]), func(c rune) bool { return c == ' ' }) + "…"
}

// markdownHelp renders a rule's documentation (plain text: paragraphs, with indented lines for
// lists, steps and examples) as markdown. Indented runs become code blocks, so SQL keeps its
// shape and none of it is read as markup; the prose is escaped for the same reason (a
// `<rule>` placeholder would otherwise vanish as an HTML tag).
func markdownHelp(doc string) string {
	lines := strings.Split(strings.ReplaceAll(strings.TrimSpace(doc), "\r\n", "\n"), "\n")
	var b strings.Builder
	inCode := false
	for i, line := range lines {
		indented := strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t")
		switch {
		case indented && !inCode:
			if i > 0 && lines[i-1] != "" {
				b.WriteString("\n")
			}
			b.WriteString("```\n")
			inCode = true
		case !indented && inCode:
			b.WriteString("```\n")
			if line != "" {
				b.WriteString("\n")
			}
			inCode = false
		}
		if inCode {
			b.WriteString(strings.ReplaceAll(line, "```", "` ` `") + "\n")
			continue
		}
		b.WriteString(escapeMarkdown(line) + "\n")
	}
	if inCode {
		b.WriteString("```\n")
	}
	return b.String()
}

// escapeMarkdown backslash-escapes what markdown would read as markup in a line of prose.
func escapeMarkdown(line string) string {
	var b strings.Builder
	for i, c := range line {
		switch {
		case strings.ContainsRune("\\`*_[]<>#|~", c):
			b.WriteByte('\\')
		case i == 0 && (c == '-' || c == '+' || c == '='):
			b.WriteByte('\\')
		case c == '.' || c == ')':
			// "1. text" at the start of a line would become a list item.
			if lead := strings.TrimLeft(line[:i], "0123456789"); lead == "" && i > 0 {
				b.WriteByte('\\')
			}
		}
		b.WriteRune(c)
	}
	return b.String()
}
