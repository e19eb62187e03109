package main

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/schema-guard/schema-guard/checker"
	"github.com/schema-guard/schema-guard/config"
	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/internal/fence"
	"github.com/schema-guard/schema-guard/rules"
)

// A configuration file inside the repository is written by whoever writes the pull request, like
// the migrations: the paths it names are read (and the report files written) inside the
// repository only, and never through a symbolic link that leaves it. A configuration outside the
// repository, named with --config, and the flags are the job's own: they may name any path.

// configPath is a path key of the configuration, with the flag that overrides it.
type configPath struct {
	key, flag string
	values    []string
}

// checkConfigFile refuses a configuration file inside the repository that is a symbolic link
// leaving it. It returns the tree, and whether the file lies in it.
func checkConfigFile(ctx context.Context, path string) (*fence.Root, bool, error) {
	tree, err := checker.WorkTree(ctx, ".")
	if err != nil {
		return nil, false, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, false, err
	}
	rel, inside := tree.Rel(abs)
	if !inside {
		return tree, false, nil
	}
	if err := tree.Check(rel); err != nil {
		return nil, true, fmt.Errorf("config: %w", err)
	}
	return tree, true, nil
}

// checkConfigPaths refuses a path of a configuration file inside the repository (one the
// flags do not override) that lies outside the repository or reaches outside it through a
// symbolic link, at its line.
func checkConfigPaths(tree *fence.Root, cfg *config.Config, set map[string]bool, paths []configPath) error {
	for _, p := range paths {
		if set[p.flag] {
			continue
		}
		for _, v := range p.values {
			if v == "" {
				continue
			}
			abs, err := filepath.Abs(v)
			if err != nil {
				return err
			}
			rel, ok := tree.Rel(abs)
			if !ok {
				return cfg.Errorf([]string{p.key}, "%s: %s is outside %s: a path in the configuration file stays inside it (a flag may name one elsewhere)", p.key, v, tree)
			}
			if err := tree.Check(rel); err != nil {
				return cfg.Errorf([]string{p.key}, "%s: %v", p.key, err)
			}
		}
	}
	return nil
}

// checkRuleIDs refuses an unknown rule id in `rules:` at its line (the levels are checked when
// the file is read).
func checkRuleIDs(cfg *config.Config) error {
	if len(cfg.Rules) == 0 {
		return nil
	}
	reg, err := rules.NewRegistry(nil)
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(cfg.Rules))
	for id := range cfg.Rules {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int {
		return cmp.Or(cmp.Compare(cfg.Line("rules", a), cfg.Line("rules", b)), cmp.Compare(a, b))
	})
	for _, id := range ids {
		if reg.Lookup(finding.RuleID(id)) == nil {
			return cfg.Errorf([]string{"rules", id}, "unknown rule %q (schema-guard explain lists the rules)", id)
		}
	}
	return nil
}

// fileExists reports whether something, a symbolic link included, is at path.
func fileExists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// configAt places an error about a value at its line in the configuration, when the
// configuration gave it (the flag was not set).
func configAt(cfg *config.Config, set map[string]bool, flagName, key string, err error) error {
	if err == nil || set[flagName] || cfg.Line(key) == 0 {
		return err
	}
	return fmt.Errorf("%s: %w", cfg.At(key), err)
}
