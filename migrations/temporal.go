package migrations

import (
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
)

// Temporal's schema tool (temporal-sql-tool update-schema) reads version folders named v<X.Y>,
// each with a manifest.json whose CurrVersion is the folder's version and whose
// SchemaUpdateCqlFiles lists the folder's .sql files in the order they run; the folders run in
// version order, compared as numbers (v1.10 after v1.9).
const temporalManifest = "manifest.json"

// temporalDirName is how the tool recognises a version folder.
var temporalDirName = regexp.MustCompile(`^v[\d.]+`)

// manifest is the part of manifest.json the tool reads.
type manifest struct {
	CurrVersion          string
	MinCompatibleVersion string
	Description          string
	SchemaUpdateCqlFiles []string
}

// temporalDirs returns the version folders that hold a manifest.
func (d *dirReader) temporalDirs() ([]string, error) {
	var out []string
	for _, sub := range d.subdirs {
		if !temporalDirName.MatchString(path.Base(sub)) {
			continue
		}
		deep, err := d.nestedFiles()
		if err != nil {
			return nil, err
		}
		if slices.Contains(deep, path.Join(sub, temporalManifest)) {
			out = append(out, sub)
		}
	}
	return out, nil
}

// collectTemporal reads every version folder's manifest and the files it lists.
func (d *dirReader) collectTemporal(set *Set) error {
	listed := map[string]bool{}
	for _, sub := range d.subdirs {
		if !temporalDirName.MatchString(path.Base(sub)) {
			continue // the tool skips it with a warning; its .sql files are reported below
		}
		mpath := path.Join(sub, temporalManifest)
		b, err := d.read(mpath)
		if err != nil {
			return fmt.Errorf("%s: version folder without a readable %s: temporal-sql-tool update-schema fails on it", sub, temporalManifest)
		}
		var m manifest
		if err := json.Unmarshal(b, &m); err != nil {
			return fmt.Errorf("%s: %s", mpath, strings.ReplaceAll(err.Error(), "\n", " "))
		}
		dirVer := strings.TrimPrefix(path.Base(sub), "v")
		v, err := ParseVersion(dirVer)
		if err != nil {
			return fmt.Errorf("%s: the folder name is not a version: %v", sub, err)
		}
		mv, err := ParseVersion(strings.TrimPrefix(m.CurrVersion, "v"))
		if err != nil || mv.Compare(v) != 0 {
			return fmt.Errorf("%s: CurrVersion %q is not the folder's version %s: temporal-sql-tool update-schema refuses it", mpath, m.CurrVersion, dirVer)
		}
		if len(m.SchemaUpdateCqlFiles) == 0 {
			return fmt.Errorf("%s: SchemaUpdateCqlFiles lists no file: temporal-sql-tool update-schema refuses it", mpath)
		}
		for i, name := range m.SchemaUpdateCqlFiles {
			p := path.Join(sub, name)
			if name == "" || !strings.HasPrefix(p, sub+"/") {
				return fmt.Errorf("%s: SchemaUpdateCqlFiles entry %q is not a file of the folder", mpath, name)
			}
			if listed[p] {
				return fmt.Errorf("%s: SchemaUpdateCqlFiles lists %s twice", mpath, name)
			}
			listed[p] = true
			content, err := d.read(p)
			if err != nil {
				return fmt.Errorf("%s: lists %s, which cannot be read: %w", mpath, name, err)
			}
			set.Files = append(set.Files, &File{Path: p, Format: Temporal, Kind: Versioned, Version: v,
				Description: m.Description, Content: content, Checksum: checksum(content), Line: 1, seq: i, manifest: b})
		}
	}
	all, err := d.allSQL()
	if err != nil {
		return err
	}
	for _, p := range all {
		if !listed[p] {
			set.Ignored = append(set.Ignored, ignored(p, fmt.Sprintf("%s is not listed in a version folder's %s: temporal-sql-tool update-schema never runs it", d.rel(p), temporalManifest)))
		}
	}
	return nil
}

// isTemporalBelow matches a manifest two levels below root (<root>/versioned/v1.0/manifest.json),
// where Temporal keeps its version folders next to the schema.sql of setup-schema.
func isTemporalBelow(root string) func(string) bool {
	return func(p string) bool {
		if path.Base(p) != temporalManifest {
			return false
		}
		ver := path.Dir(p)
		parent := path.Dir(ver)
		return temporalDirName.MatchString(path.Base(ver)) && parent != root && path.Dir(parent) == root
	}
}
