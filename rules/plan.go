package rules

import (
	"fmt"
	"strings"
)

// Plan is a safe way to make a change that a rule forbids: phases that ship one after another
// (a migration, an application release, a configuration change), so that the deployed
// application keeps working at every step. Plans are data, not only text: tests and other
// stages execute a phase's SQL to prove it works.
type Plan struct {
	// Summary says in one sentence what the plan achieves.
	Summary string
	Phases  []Phase
}

// Phase is one step of a plan.
type Phase struct {
	// Title names the step and when it ships: "Expand (migration, before the application changes)".
	Title string
	// Notes explain the step, one paragraph each.
	Notes []string
	// SQL holds the step's statements, each as it is sent to the server through a driver:
	// without a trailing delimiter, a stored program (CREATE TRIGGER, CREATE PROCEDURE) whole.
	// A statement may start with comment lines (a suppression comment that must stand right
	// before it in the migration).
	SQL []string
}

// Script writes statements as a migration file holds them (migrations.Script: every statement
// ends with ";", stored programs stand between DELIMITER $$ and DELIMITER ;), so a plan reads
// back through the same splitter. The checker hands it to the rules in Context.Script: the
// splitter lives with the SQL parser, which the rules do without.
type Script func(stmts []string) (string, error)

// Text writes the plan for a finding's Fix: the summary, then the numbered phases, each with its
// notes and its SQL as script writes it (see Script; nil writes each statement with a ";").
func (p Plan) Text(script Script) string {
	var b strings.Builder
	if p.Summary != "" {
		b.WriteString(p.Summary)
		b.WriteString("\n")
	}
	for i, ph := range p.Phases {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%d. %s\n", i+1, ph.Title)
		for _, n := range ph.Notes {
			b.WriteString(indent(n) + "\n")
		}
		if len(ph.SQL) > 0 {
			b.WriteString("\n")
			b.WriteString(script.write(ph.SQL))
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// Statements returns every statement of the plan, phase after phase.
func (p Plan) Statements() []string {
	var out []string
	for _, ph := range p.Phases {
		out = append(out, ph.SQL...)
	}
	return out
}

// write renders statements with the script. Rendering only fails for a stored program no
// DELIMITER fits, which the plans never write; the statements are then shown one per
// paragraph, as they are without a script.
func (script Script) write(stmts []string) string {
	if script != nil {
		if s, err := script(stmts); err == nil {
			return s
		}
	}
	return strings.Join(stmts, ";\n\n") + ";\n"
}
