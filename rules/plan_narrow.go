package rules

import (
	"fmt"
	"math"
	"strings"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/schema"
)

// PlanNarrowColumn is the safe form of changing column from of table t (as deployed) to the
// narrower definition to: check which rows do not fit, then replace the column by a new one
// named newName ("" for <column>_v2) with a ColumnCopy, since the old application may still
// write values the narrow type rejects.
func PlanNarrowColumn(s *schema.Schema, t *schema.Table, from, to *schema.Column, newName string) Plan {
	if t == nil || from == nil || to == nil {
		return Plan{}
	}
	if newName == "" {
		newName = fitName(from.Name, "v2")
	}
	target := *to
	target.Name = newName
	cc := ColumnCopy{Schema: s, Table: t, From: from, To: &target}
	ft, err1 := schema.TypeOf(from)
	tt, err2 := schema.TypeOf(to)
	if err1 == nil && err2 == nil {
		cc.Misfit = func(expr string) string { return failingWrites(expr, ft, tt) }
	}
	p := cc.Plan(fmt.Sprintf("Change %s.%s to %s without losing values or failing the deployed application's writes:",
		schema.QuoteIdent(t.Name), schema.QuoteIdent(from.Name), to.Type))
	check := Phase{
		Title: "Check: find the rows the narrower type cannot hold",
		Notes: []string{fmt.Sprintf("Fix or delete those rows, and make the application stop writing such values, first. When the query returns 0 and the deployed application cannot write a value beyond %s, the change is safe as written: keep it, with -- %s %s <why the application cannot write wider values>. Otherwise replace the column (%s is a suggested name):",
			to.Type, AllowPrefix, finding.NarrowType, schema.QuoteIdent(newName))},
	}
	if cond := misfits(schema.QuoteIdent(from.Name), ft, tt); err1 == nil && err2 == nil && cond != "" {
		check.SQL = []string{fmt.Sprintf("SELECT COUNT(*) AS misfits FROM %s WHERE %s", schema.QuoteIdent(t.Name), cond)}
	} else {
		check.Notes = append([]string{fmt.Sprintf("Compare every value of %s with its conversion to %s (no exact query is known for this pair of types).", schema.QuoteIdent(from.Name), to.Type)}, check.Notes...)
	}
	for i := range p.Phases {
		if strings.HasPrefix(p.Phases[i].Title, "Switch") && cc.fits(schema.QuoteIdent(from.Name)) != "" {
			// Rows the deployed application wrote with values the new column cannot hold.
			p.Phases[i].Notes = append([]string{fmt.Sprintf("Before the switch, this must return 0 (rows whose value did not fit, written while the old release ran):\n\nSELECT COUNT(*) FROM %s WHERE %s IS NULL AND %s IS NOT NULL;",
				schema.QuoteIdent(t.Name), schema.QuoteIdent(newName), schema.QuoteIdent(from.Name))}, p.Phases[i].Notes...)
		}
	}
	p.Phases = append([]Phase{check}, p.Phases...)
	return p
}

// misfits writes a condition that selects the rows whose value of column col (of type from)
// the type to cannot hold unchanged, or "" when no exact condition is known. NULLs never match:
// every type holds NULL.
func misfits(col string, from, to schema.ColumnType) string {
	fail, change, ok := misfitConds(col, from, to)
	if !ok {
		return ""
	}
	return strings.Join(wrap(append(fail, change...)), " OR ")
}

// failingWrites is the part of misfits whose write the server refuses in strict mode (a string
// too long, a number out of range, a character the charset lacks); the rest it rounds, pads or
// truncates with a note. A copy guarded by it never fails, and changes values as the narrow
// type itself would.
func failingWrites(col string, from, to schema.ColumnType) string {
	fail, _, ok := misfitConds(col, from, to)
	if !ok {
		return ""
	}
	return strings.Join(wrap(fail), " OR ")
}

// misfitConds returns the conditions under which a value of col does not survive the change
// unchanged: those whose write fails, those the server changes; ok is false when no exact
// condition is known.
func misfitConds(col string, from, to schema.ColumnType) (fail, change []string, ok bool) {
	known := from.Family == to.Family ||
		from.Family == schema.FamilyInteger && to.Family == schema.FamilyDecimal ||
		from.Family == schema.FamilyDecimal && to.Family == schema.FamilyInteger ||
		(from.Family == schema.FamilyEnum || from.Family == schema.FamilySet) && to.Family == schema.FamilyString
	if !known {
		// Another family: a length or range test alone says nothing about the conversion.
		return nil, nil, false
	}
	switch to.Family {
	case schema.FamilyString:
		if n, ok := schema.LOBBytes(to.Base); ok {
			expr := "LENGTH(" + col + ")"
			if to.Charset != "" {
				expr = fmt.Sprintf("LENGTH(CONVERT(%s USING %s))", col, to.Charset)
			}
			fail = append(fail, fmt.Sprintf("%s > %d", expr, n))
		} else {
			fail = append(fail, fmt.Sprintf("CHAR_LENGTH(%s) > %d", col, to.Length))
		}
		if from.Charset != "" && to.Charset != "" && !charsetHolds(to.Charset, from.Charset) {
			fail = append(fail, fmt.Sprintf("HEX(%s) <> HEX(CONVERT(CONVERT(%s USING %s) USING %s))", col, col, to.Charset, from.Charset))
		}
	case schema.FamilyBinary:
		n := int64(to.Length)
		if b, ok := schema.LOBBytes(to.Base); ok {
			n = b
		}
		fail = append(fail, fmt.Sprintf("LENGTH(%s) > %d", col, n))
		if to.Base == "binary" {
			change = append(change, fmt.Sprintf("LENGTH(%s) < %d", col, n)) // padded with zero bytes
		}
	case schema.FamilyInteger:
		lo, hi := intRange(to)
		fail = append(fail, fmt.Sprintf("%s < %.0f OR %s > %.0f", col, lo, col, hi))
		if from.Family != schema.FamilyInteger {
			change = append(change, fmt.Sprintf("%s <> ROUND(%s)", col, col))
		}
	case schema.FamilyDecimal:
		digits := to.Length - to.Scale
		fail = append(fail, fmt.Sprintf("ABS(ROUND(%s, %d)) >= 1e%d", col, to.Scale, digits))
		if from.Family != schema.FamilyInteger {
			change = append(change, fmt.Sprintf("%s <> ROUND(%s, %d)", col, col, to.Scale))
		}
		if to.Unsigned {
			fail = append(fail, col+" < 0")
		}
	case schema.FamilyBit:
		fail = append(fail, fmt.Sprintf("%s >> %d <> 0", col, to.Length))
	case schema.FamilyTemporal:
		return temporalMisfits(col, from, to)
	default:
		return nil, nil, false
	}
	return fail, change, true
}

func temporalMisfits(col string, from, to schema.ColumnType) (fail, change []string, ok bool) {
	if from.Length > to.Length && to.Base != "date" && to.Base != "year" {
		change = append(change, fmt.Sprintf("MICROSECOND(%s) %% %.0f <> 0", col, math.Pow10(6-to.Length)))
	}
	switch {
	case to.Base == "timestamp" && from.Base != "timestamp":
		fail = append(fail, fmt.Sprintf("%s < '1970-01-01 00:00:01' OR %s > '2038-01-19 03:14:07'", col, col))
	case to.Base == "date" && from.Base != "date":
		change = append(change, fmt.Sprintf("TIME(%s) <> '00:00:00'", col))
	case from.Base != to.Base && !(from.Base == "date" && to.Base == "datetime") && !(from.Base == "timestamp" && to.Base == "datetime"):
		return nil, nil, false
	}
	return fail, change, true
}

// wrap parenthesises conditions that contain OR, so joining them with OR keeps their meaning
// for a reader.
func wrap(conds []string) []string {
	if len(conds) < 2 {
		return conds
	}
	out := make([]string, len(conds))
	for i, c := range conds {
		out[i] = c
		if strings.Contains(c, " OR ") {
			out[i] = "(" + c + ")"
		}
	}
	return out
}
