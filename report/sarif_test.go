package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/finding"
)

// sarifDoc decodes a SARIF log generically, so the test checks the JSON a consumer reads rather
// than the writer's own structs.
func sarifDoc(t *testing.T, r *Report, rules []RuleInfo) map[string]any {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, r, rules, "1.2.3"); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, buf.String())
	}
	return doc
}

// get walks a decoded JSON value by object keys and array indexes.
func get(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("%v: not an object at %q", path, k)
			}
			if v, ok = m[k]; !ok {
				t.Fatalf("%v: no key %q", path, k)
			}
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				t.Fatalf("%v: no index %d", path, k)
			}
			v = a[k]
		}
	}
	return v
}

func has(v any, key string) bool {
	m, _ := v.(map[string]any)
	_, ok := m[key]
	return ok
}

func sarifRulesInfo() []RuleInfo {
	return []RuleInfo{
		{ID: "drop-column", Severity: finding.Error, Summary: "a deployed column is dropped",
			Help: "Catches: a DROP COLUMN of a <deployed> column.\n\nExample:\n  ALTER TABLE users DROP COLUMN surname;"},
		{ID: "blocking-ddl", Severity: finding.Notice, Summary: "the ALTER blocks writes", Help: "Catches: a blocking ALTER."},
		{ID: "ignored-file", Severity: finding.Warning, Summary: "a file the tool skips", Help: "Catches: a skipped file."},
		{ID: "unused-rule", Severity: finding.Warning, Summary: "no finding uses it", Help: "Catches: nothing here."},
	}
}

func sarifSample() *Report {
	r := New()
	r.Add(
		finding.Finding{Rule: "ignored-file", Severity: finding.Warning, File: "db/migrations/V2_x.sql", Line: 1, Message: "not a name"},
		finding.Finding{Rule: "drop-column", Severity: finding.Error, File: "db/migrations/V3__drop.sql", Line: 4, Column: 3, EndLine: 6,
			Message: "Dropping users.surname breaks the deployed application.", Fix: "1. stop using it\n2. deprecate it"},
		finding.Finding{Rule: "drop-column", Severity: finding.Error, File: "db/migrations/V4__drop.sql", Line: 2,
			Message: "Dropping users.email breaks the deployed application.", Allowed: true, Reason: "nobody reads it since 4.2"},
		finding.Finding{Rule: "blocking-ddl", Severity: finding.Notice, File: "db/migrations/V3__drop.sql", Line: 9, Message: "blocks writes"},
		finding.Finding{Rule: "server-gone", Severity: finding.Warning, Message: "the server restarted during replay"},
		finding.Finding{Rule: "server-gone", Severity: finding.Error, File: "db/migrations/dir with space/V5.sql", Message: "whole file"},
	)
	r.Finish()
	return r
}

func TestSARIFStructure(t *testing.T) {
	doc := sarifDoc(t, sarifSample(), sarifRulesInfo())
	if get(t, doc, "$schema") != "https://json.schemastore.org/sarif-2.1.0.json" || get(t, doc, "version") != "2.1.0" {
		t.Errorf("$schema/version = %v %v", doc["$schema"], doc["version"])
	}
	if runs := get(t, doc, "runs").([]any); len(runs) != 1 {
		t.Fatalf("%d runs, want 1", len(runs))
	}
	run := get(t, doc, "runs", 0)
	driver := get(t, run, "tool", "driver")
	if get(t, driver, "name") != "schema-guard" || get(t, driver, "version") != "1.2.3" ||
		get(t, driver, "informationUri") != "https://github.com/schema-guard/schema-guard" {
		t.Errorf("driver = %v", driver)
	}

	// Rules: every given rule plus the undocumented one, by id.
	rules := get(t, driver, "rules").([]any)
	var ids []string
	for _, r := range rules {
		ids = append(ids, get(t, r, "id").(string))
	}
	if got := strings.Join(ids, " "); got != "blocking-ddl drop-column ignored-file server-gone unused-rule" {
		t.Errorf("rule ids = %s", got)
	}
	levels := map[string]string{"blocking-ddl": "note", "drop-column": "error", "ignored-file": "warning", "server-gone": "error", "unused-rule": "warning"}
	for _, r := range rules {
		id := get(t, r, "id").(string)
		if got := get(t, r, "defaultConfiguration", "level"); got != levels[id] {
			t.Errorf("%s: default level %v, want %s", id, got, levels[id])
		}
		for _, k := range []string{"shortDescription", "fullDescription", "help"} {
			if s, _ := get(t, r, k, "text").(string); s == "" {
				t.Errorf("%s: empty %s.text (code scanning requires it)", id, k)
			}
		}
	}
	drop := rules[1]
	if get(t, drop, "shortDescription", "text") != "a deployed column is dropped" ||
		get(t, drop, "fullDescription", "text") != "Catches: a DROP COLUMN of a <deployed> column." ||
		!strings.Contains(get(t, drop, "help", "text").(string), "  ALTER TABLE users DROP COLUMN surname;") {
		t.Errorf("drop-column descriptor = %v", drop)
	}
	wantMD := "**a deployed column is dropped**\n\nCatches: a DROP COLUMN of a \\<deployed\\> column.\n\nExample:\n\n```\n  ALTER TABLE users DROP COLUMN surname;\n```"
	if got := get(t, drop, "help", "markdown"); got != wantMD {
		t.Errorf("help.markdown = %q\nwant            %q", got, wantMD)
	}

	// Results, in finding.Sort order: no file first, then by file and line.
	results := get(t, run, "results").([]any)
	if len(results) != 6 {
		t.Fatalf("%d results, want 6", len(results))
	}
	for i, res := range results {
		id := get(t, res, "ruleId").(string)
		idx := int(get(t, res, "ruleIndex").(float64))
		if got := get(t, rules[idx], "id"); got != id {
			t.Errorf("result %d: ruleIndex %d is %v, not %s", i, idx, got, id)
		}
		if fp, _ := get(t, res, "partialFingerprints", "schemaGuardFindingHash/v1").(string); len(fp) < 34 {
			t.Errorf("result %d: fingerprint %q", i, fp)
		}
	}

	noFile := results[0]
	if get(t, noFile, "ruleId") != "server-gone" || has(noFile, "locations") || get(t, noFile, "level") != "warning" {
		t.Errorf("finding without a file = %v", noFile)
	}

	wholeFile := get(t, results[5], "locations", 0, "physicalLocation")
	if get(t, wholeFile, "artifactLocation", "uri") != "db/migrations/dir%20with%20space/V5.sql" ||
		get(t, wholeFile, "artifactLocation", "uriBaseId") != "%SRCROOT%" ||
		get(t, wholeFile, "region", "startLine") != 1.0 || has(get(t, wholeFile, "region"), "startColumn") {
		t.Errorf("whole-file location = %v", wholeFile)
	}

	dropped := results[2]
	if get(t, dropped, "level") != "error" ||
		get(t, dropped, "message", "text") != "Dropping users.surname breaks the deployed application.\n1. stop using it\n2. deprecate it" {
		t.Errorf("drop-column result = %v", dropped)
	}
	loc := get(t, dropped, "locations", 0, "physicalLocation")
	if get(t, loc, "artifactLocation", "uri") != "db/migrations/V3__drop.sql" ||
		get(t, loc, "region", "startLine") != 4.0 || get(t, loc, "region", "startColumn") != 3.0 ||
		get(t, loc, "region", "endLine") != 6.0 {
		t.Errorf("drop-column location = %v", loc)
	}
	if has(dropped, "suppressions") {
		t.Error("a standing finding has suppressions")
	}
	if get(t, results[3], "level") != "note" {
		t.Errorf("notice level = %v", get(t, results[3], "level"))
	}

	allowed := results[4]
	sup := get(t, allowed, "suppressions", 0)
	if get(t, allowed, "ruleId") != "drop-column" || get(t, sup, "kind") != "inSource" ||
		get(t, sup, "justification") != "nobody reads it since 4.2" {
		t.Errorf("allowed finding = %v", allowed)
	}
}

func TestSARIFDeterministicAndFingerprints(t *testing.T) {
	r := sarifSample()
	var a, b bytes.Buffer
	if err := WriteSARIF(&a, r, sarifRulesInfo(), "v"); err != nil {
		t.Fatal(err)
	}
	// Reversed input order and rules: the same bytes.
	r2 := sarifSample()
	for i, j := 0, len(r2.Findings)-1; i < j; i, j = i+1, j-1 {
		r2.Findings[i], r2.Findings[j] = r2.Findings[j], r2.Findings[i]
	}
	rules := sarifRulesInfo()
	for i, j := 0, len(rules)-1; i < j; i, j = i+1, j-1 {
		rules[i], rules[j] = rules[j], rules[i]
	}
	if err := WriteSARIF(&b, r2, rules, "v"); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Error("output depends on the order of findings or rules")
	}
	if r2.Findings[0].Rule != "server-gone" || r2.Findings[0].File == "" {
		t.Error("WriteSARIF reordered the report's findings")
	}

	// A finding moved down by inserted lines keeps its fingerprint; twins get distinct ones.
	f := finding.Finding{Rule: "drop-column", Severity: finding.Error, File: "m.sql", Line: 3, Message: "drop"}
	moved := f
	moved.Line = 30
	if findingHash(f) != findingHash(moved) {
		t.Error("the fingerprint depends on the line")
	}
	twins := New()
	twins.Add(f, moved)
	doc := sarifDoc(t, twins, nil)
	fp := func(i int) string {
		return get(t, doc, "runs", 0, "results", i, "partialFingerprints", "schemaGuardFindingHash/v1").(string)
	}
	if fp(0) == fp(1) || !strings.HasSuffix(fp(0), ":1") || !strings.HasSuffix(fp(1), ":2") {
		t.Errorf("twin fingerprints %s %s", fp(0), fp(1))
	}
}

func TestSARIFGolden(t *testing.T) {
	r := New()
	r.Add(finding.Finding{Rule: "out-of-order", Severity: finding.Error, File: "db/V1__a.sql", Line: 1,
		Message: "pending version 1 sorts before 2", Fix: "Rename it."})
	r.Finish()
	var buf bytes.Buffer
	err := WriteSARIF(&buf, r, []RuleInfo{{ID: "out-of-order", Severity: finding.Error, Summary: "sorts before", Help: "Catches: it."}}, "0.1.0")
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
  "version": "2.1.0",
  "runs": [
    {
      "tool": {
        "driver": {
          "name": "schema-guard",
          "informationUri": "https://github.com/schema-guard/schema-guard",
          "version": "0.1.0",
          "rules": [
            {
              "id": "out-of-order",
              "shortDescription": {
                "text": "sorts before"
              },
              "fullDescription": {
                "text": "Catches: it."
              },
              "help": {
                "text": "Catches: it.",
                "markdown": "**sorts before**\n\nCatches: it."
              },
              "defaultConfiguration": {
                "level": "error"
              }
            }
          ]
        }
      },
      "originalUriBaseIds": {
        "%SRCROOT%": {
          "description": {
            "text": "The root of the repository that was checked."
          }
        }
      },
      "columnKind": "unicodeCodePoints",
      "results": [
        {
          "ruleId": "out-of-order",
          "ruleIndex": 0,
          "level": "error",
          "message": {
            "text": "pending version 1 sorts before 2\nRename it."
          },
          "locations": [
            {
              "physicalLocation": {
                "artifactLocation": {
                  "uri": "db/V1__a.sql",
                  "uriBaseId": "%SRCROOT%"
                },
                "region": {
                  "startLine": 1
                }
              }
            }
          ],
          "partialFingerprints": {
            "schemaGuardFindingHash/v1": "` + findingHash(r.Findings[0]) + `:1"
          }
        }
      ]
    }
  ]
}
`
	if got := buf.String(); got != want {
		t.Errorf("SARIF =\n%s\nwant\n%s", got, want)
	}
}

func TestSARIFEmptyReport(t *testing.T) {
	doc := sarifDoc(t, New(), nil)
	// Code scanning requires results[] and rules[] even when empty: an upload with no results
	// closes the alerts of the previous one.
	if res, ok := get(t, doc, "runs", 0, "results").([]any); !ok || len(res) != 0 {
		t.Errorf("results = %v, want []", get(t, doc, "runs", 0, "results"))
	}
	if rules, ok := get(t, doc, "runs", 0, "tool", "driver", "rules").([]any); !ok || len(rules) != 0 {
		t.Errorf("rules = %v, want []", get(t, doc, "runs", 0, "tool", "driver", "rules"))
	}
}

func TestArtifactLocation(t *testing.T) {
	for _, c := range []struct{ in, uri, base string }{
		{"db/migrations/V1__a.sql", "db/migrations/V1__a.sql", "%SRCROOT%"},
		{"./db//x.sql", "db/x.sql", "%SRCROOT%"},
		{"db/100% #1?.sql", "db/100%25%20%231%3F.sql", "%SRCROOT%"},
		{"c:weird/x.sql", "./c:weird/x.sql", "%SRCROOT%"},
		{"/abs/path/x.sql", "file:///abs/path/x.sql", ""},
	} {
		got := artifactLocation(c.in)
		if got.URI != c.uri || got.URIBaseID != c.base {
			t.Errorf("artifactLocation(%q) = %q %q, want %q %q", c.in, got.URI, got.URIBaseID, c.uri, c.base)
		}
	}
}

func TestMarkdownHelp(t *testing.T) {
	doc := "Catches: a_b *c* with <rule>.\nSecond line.\n\nHow to do it (steps):\n  1. one\n     more\n  2. two\nAfter.\n1. not a list"
	want := "Catches: a\\_b \\*c\\* with \\<rule\\>.\nSecond line.\n\nHow to do it (steps):\n\n```\n  1. one\n     more\n  2. two\n```\n\nAfter.\n1\\. not a list\n"
	if got := markdownHelp(doc); got != want {
		t.Errorf("markdownHelp =\n%q\nwant\n%q", got, want)
	}
	long := strings.Repeat("é", 2000)
	if got := clipRunes(long, descriptionLimit); len([]rune(got)) != descriptionLimit || !strings.HasSuffix(got, "…") {
		t.Errorf("clipRunes kept %d runes", len([]rune(got)))
	}
}
