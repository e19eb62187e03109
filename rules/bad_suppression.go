package rules

import "github.com/schema-guard/schema-guard/finding"

// Registry.Suppress makes this rule's findings, when it reads the suppression comments; the rule
// is registered for its documentation and its configurable level.

func badSuppressionRule() *Rule {
	return &Rule{
		ID:       finding.BadSuppression,
		Severity: finding.Warning,
		Summary:  "a schema-guard:allow comment without a reason or naming an unknown rule",
		Doc: `Catches: a suppression comment that cannot count: one that names no rule, gives no
reason, or names a rule id that does not exist (a typo, or a rule of another tool).

Why it matters: a suppression lets a forbidden change through, so a reviewer must see why it is
safe here; a comment without a reason, or with a misspelt rule id, suppresses nothing and
leaves the finding standing, which is confusing in review.

How to do it right: put the comment on the lines right before the statement, name the rules
(comma separated, no spaces), then say why the change is safe:

  -- schema-guard:allow <rule>[,<rule>] <why this is safe here>

Example:
  bad:  -- schema-guard:allow drop-colum
        ALTER TABLE users DROP COLUMN surname;
  good: -- schema-guard:allow drop-column the reporting job stopped reading it in 4.2
        ALTER TABLE users DROP COLUMN surname;`,
	}
}
