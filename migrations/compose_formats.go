package migrations

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"testing/fstest"
	"time"

	"github.com/schema-guard/schema-guard/finding"
)

// composeOwn writes the next migration of the formats that are more than a file name: a Prisma
// folder, a Liquibase changeset (in a new file, or appended to the last changelog), an Atlas
// file with its atlas.sum brought up to date, a Temporal version folder with its manifest, and a
// file named after the newest one for a custom pattern. The result is checked by discovering
// the directory again with the new files in it: they must be read as one new migration that
// runs last, whose statements are the ones asked for.
func (s *Set) composeOwn(slug string, up, down, upText, downText []string, now time.Time) ([]NewFile, error) {
	var files []NewFile
	var err error
	switch s.Format {
	case Prisma:
		files, err = s.composePrisma(slug, up, now)
	case Liquibase:
		files, err = s.composeLiquibase(slug, up, down, now)
	case Atlas:
		files, err = s.composeAtlas(slug, up, now)
	case Temporal:
		files, err = s.composeTemporal(slug, up)
	case Custom:
		files, err = s.composeCustom(slug, up, now)
	}
	if err != nil {
		return nil, fmt.Errorf("compose a migration: %w", err)
	}
	if err := s.checkComposed(files, upText, downText); err != nil {
		return nil, err
	}
	return files, nil
}

func (s *Set) composePrisma(slug string, up []string, now time.Time) ([]NewFile, error) {
	ts, _ := timestamp(now, 14) // prisma migrate dev names its folders yyyyMMddHHmmss_<name>
	body, err := render(GolangMigrate, up)
	if err != nil {
		return nil, err
	}
	return []NewFile{{Path: path.Join(s.Dir, ts+"_"+slug, prismaScript), Content: []byte(body)}}, nil
}

func (s *Set) composeAtlas(slug string, up []string, now time.Time) ([]NewFile, error) {
	for _, n := range s.Notes {
		if n.Rule == finding.ChecksumMismatch {
			return nil, fmt.Errorf("%s does not match the directory (%s); run 'atlas migrate hash' or fix the files first", atlasSumFile, n.Message)
		}
	}
	// atlas migrate new names files yyyyMMddHHmmss_<name>.sql; a directory numbered otherwise
	// gets its last number plus one, when that still sorts last as text.
	version, _ := timestamp(now, 14)
	if n := len(s.Files); n > 0 {
		last := s.Files[n-1].Version.raw
		if version <= last {
			version = increment(last)
			if !allDigits(last) || version <= last {
				return nil, fmt.Errorf("no version sorts after %s as text, as Atlas orders them; name the migration by hand", last)
			}
		}
	}
	ts := version
	body, err := render(Plain, up) // Atlas's MySQL scanner reads DELIMITER as the client does
	if err != nil {
		return nil, err
	}
	nf := NewFile{Path: path.Join(s.Dir, ts+"_"+slug+".sql"), Content: []byte(body)}
	all := append(slices.Clone(s.Files), &File{Path: nf.Path, Content: nf.Content})
	slices.SortFunc(all, replayOrder(Atlas))
	sum := NewFile{Path: path.Join(s.Dir, atlasSumFile), Content: FormatAtlasSum(AtlasSum(all)), Replaces: len(s.Files) > 0}
	return []NewFile{nf, sum}, nil
}

// composeLiquibase writes one changeset. When the last changelog file's name starts with a
// number, the changeset goes into a new file with the next number (includeAll runs it last);
// otherwise it is appended to that file.
func (s *Set) composeLiquibase(slug string, up, down []string, now time.Time) ([]NewFile, error) {
	ts, _ := timestamp(now, 14)
	header := "--changeset schema-guard:" + ts + "-" + slug
	body, delim, err := renderWithDelimiter(up)
	if err != nil {
		return nil, err
	}
	if delim != "" {
		header += " endDelimiter:" + delim
	}
	rollback, rdelim, err := renderWithDelimiter(down)
	if err != nil {
		return nil, err
	}
	if rdelim != "" {
		header += " rollbackEndDelimiter:" + rdelim
	}
	changeset := header + "\n" + body
	for _, l := range strings.Split(strings.TrimSuffix(rollback, "\n"), "\n") {
		if l != "" {
			changeset += "--rollback " + l + "\n"
		}
	}
	if len(s.Files) == 0 {
		return []NewFile{{Path: path.Join(s.Dir, "001_"+slug+".sql"), Content: []byte("--liquibase formatted sql\n\n" + changeset)}}, nil
	}
	last := s.Files[len(s.Files)-1]
	base := path.Base(last.Path)
	if n, ok := leadingNumberName(base); ok {
		digits := base[:len(n.version.raw)]
		name := increment(digits) + "_" + slug + ".sql"
		return []NewFile{{Path: path.Join(path.Dir(last.Path), name), Content: []byte("--liquibase formatted sql\n\n" + changeset)}}, nil
	}
	if last.ID == "includeAll:raw" {
		return nil, fmt.Errorf("the last changelog, %s, is not formatted SQL and its name has no number to follow; start a numbered formatted changelog first", last.Path)
	}
	content := string(last.Content)
	if !strings.HasSuffix(content, "\n") {
		content += "\n"
	}
	return []NewFile{{Path: last.Path, Content: []byte(content + "\n" + changeset), Replaces: true}}, nil
}

// renderWithDelimiter writes statements one after the other for Liquibase: each ends with ";",
// or, when one of them holds a ";" of its own (a trigger or routine body), all end with a
// delimiter that none of them holds, to be named with endDelimiter.
func renderWithDelimiter(stmts []string) (string, string, error) {
	delim := ""
	for _, st := range stmts {
		if bareSemicolon(st) {
			delim = pickDelimiter(strings.Join(stmts, "\n"))
			if delim == "" {
				return "", "", fmt.Errorf("no endDelimiter fits %s", excerpt(st))
			}
			break
		}
	}
	var b strings.Builder
	for _, st := range stmts {
		st = strings.TrimSpace(st)
		end := ";"
		if delim != "" {
			end = "\n" + delim
		}
		if want, err := expected([]string{st}, ""); err == nil && !strings.HasSuffix(st, want[0]) {
			st += "\n" // a trailing comment would swallow the delimiter
		}
		b.WriteString(st + end + "\n")
	}
	return b.String(), delim, nil
}

func (s *Set) composeTemporal(slug string, up []string) ([]NewFile, error) {
	var newest *File
	for _, f := range s.Files {
		if newest == nil || f.Version.Compare(newest.Version) > 0 {
			newest = f
		}
	}
	version, minCompat := "0.1", "0.1"
	if newest != nil {
		raw := newest.Version.raw
		i := strings.LastIndexAny(raw, "._")
		version = raw[:i+1] + increment(raw[i+1:])
		var m manifest
		if json.Unmarshal(newest.manifest, &m) == nil && m.MinCompatibleVersion != "" {
			minCompat = m.MinCompatibleVersion
		}
	}
	body, err := render(GolangMigrate, up)
	if err != nil {
		return nil, err
	}
	dir := path.Join(s.Dir, "v"+version)
	m, err := json.MarshalIndent(manifest{CurrVersion: version, MinCompatibleVersion: minCompat,
		Description: strings.ReplaceAll(slug, "_", " "), SchemaUpdateCqlFiles: []string{slug + ".sql"}}, "", "  ")
	if err != nil {
		return nil, err
	}
	return []NewFile{
		{Path: path.Join(dir, slug+".sql"), Content: []byte(body)},
		{Path: path.Join(dir, temporalManifest), Content: append(m, '\n')},
	}, nil
}

// composeCustom names the migration after the newest one: the pattern's version part becomes
// the next version, its description part the new description.
func (s *Set) composeCustom(slug string, up []string, now time.Time) ([]NewFile, error) {
	if len(s.Files) == 0 {
		return nil, fmt.Errorf("no migration to name the new one after; with a custom pattern, write the first one by hand")
	}
	last := s.Files[len(s.Files)-1]
	rel := strings.TrimPrefix(last.Path, strings.TrimSuffix(s.Dir, "/")+"/")
	if s.Dir == "" || s.Dir == "." {
		rel = last.Path
	}
	c := s.custom
	m := c.re.FindStringSubmatchIndex(rel)
	if m == nil {
		return nil, fmt.Errorf("%s no longer matches the pattern", rel)
	}
	type span struct {
		from, to int
		with     string
	}
	spans := []span{{m[2*c.version], m[2*c.version+1], nextCustomVersion(rel[m[2*c.version]:m[2*c.version+1]], now)}}
	if c.desc >= 0 && m[2*c.desc] >= 0 {
		spans = append(spans, span{m[2*c.desc], m[2*c.desc+1], slug})
	}
	slices.SortFunc(spans, func(a, b span) int { return b.from - a.from })
	name := rel
	for i, sp := range spans {
		if i > 0 && sp.to > spans[i-1].from {
			return nil, fmt.Errorf("the pattern's version and description groups overlap in %s", rel)
		}
		name = name[:sp.from] + sp.with + name[sp.to:]
	}
	body, err := render(Plain, up)
	if err != nil {
		return nil, err
	}
	return []NewFile{{Path: path.Join(s.Dir, name), Content: []byte(body)}}, nil
}

// nextCustomVersion adds one to the last number of a custom version, keeping its width, or
// takes the time for timestamps (12 digits or more).
func nextCustomVersion(raw string, now time.Time) string {
	end := len(raw)
	for end > 0 && (raw[end-1] < '0' || raw[end-1] > '9') {
		end--
	}
	start := end
	for start > 0 && raw[start-1] >= '0' && raw[start-1] <= '9' {
		start--
	}
	digits := raw[start:end]
	if start == 0 && end == len(raw) && len(digits) >= 12 {
		if ts, ok := timestamp(now, len(digits)); ok && ts > digits {
			return ts
		}
	}
	return raw[:start] + increment(digits) + raw[end:]
}

// checkComposed discovers the directory with the new files in it and checks that they are read
// as exactly one new migration, last in the order, whose statements are the ones asked for
// (and, for Liquibase, whose rollback is the down statements).
func (s *Set) checkComposed(files []NewFile, upText, downText []string) error {
	fsys := fstest.MapFS{}
	for _, f := range s.Files {
		fsys[f.Path] = &fstest.MapFile{Data: f.Content}
		if f.manifest != nil {
			fsys[path.Join(path.Dir(f.Path), temporalManifest)] = &fstest.MapFile{Data: f.manifest}
		}
	}
	for _, w := range s.Ignored {
		fsys[w.File] = &fstest.MapFile{Data: []byte("-- ignored\n")}
	}
	for _, nf := range files {
		if old, ok := fsys[nf.Path]; ok && !nf.Replaces && old != nil {
			return fmt.Errorf("compose a migration: %s already exists", nf.Path)
		}
		fsys[nf.Path] = &fstest.MapFile{Data: nf.Content}
	}
	dir := path.Clean(s.Dir)
	if _, err := fs.Stat(fsys, dir); err != nil {
		fsys[dir] = &fstest.MapFile{Mode: fs.ModeDir | 0o755}
	}
	again, err := DiscoverLayout(fsys, s.Dir, s.Layout)
	if err != nil {
		return fmt.Errorf("compose a migration: the directory with the new migration does not read: %w", err)
	}
	if again.Format != s.Format {
		return fmt.Errorf("compose a migration: the directory with the new migration reads as %s", again.Format)
	}
	old := map[string]bool{}
	for _, f := range s.Files {
		old[f.Key()] = true
	}
	var added []*File
	for i, f := range again.Files {
		if old[f.Key()] {
			if len(added) > 0 {
				return fmt.Errorf("compose a migration: %s would not run after %s; rename the migrations to one numbering", added[0].Name(), f.Name())
			}
			continue
		}
		added = append(added, again.Files[i])
	}
	if len(added) != 1 {
		return fmt.Errorf("compose a migration: the new files read as %d migrations, not one", len(added))
	}
	if n := len(again.Notes); n > 0 && len(s.Notes) == 0 {
		return fmt.Errorf("compose a migration: %s", again.Notes[0].Message)
	}
	got, notes, err := added[0].Split()
	if err != nil {
		return fmt.Errorf("compose a migration: the composed migration does not split: %w", err)
	}
	if len(notes) > 0 {
		return fmt.Errorf("compose a migration: %s", notes[0].Message)
	}
	if err := sameStatements(got, upText, s.Format); err != nil {
		return err
	}
	if s.Format == Liquibase && len(downText) > 0 {
		rb := &File{Path: added[0].Path, Format: Plain, Content: added[0].part.rollback.Bytes()}
		if added[0].part.rollbackDelim != "" {
			rb.Format, rb.part = Liquibase, &changesetPart{masked: rb.Content, to: len(rb.Content), delim: added[0].part.rollbackDelim}
		}
		got, err := rb.Statements()
		if err != nil {
			return fmt.Errorf("compose a migration: the rollback does not split: %w", err)
		}
		return sameStatements(got, downText, s.Format)
	}
	return nil
}
