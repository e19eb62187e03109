package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// Stamped by release builds (.goreleaser.yaml):
//
//	-X main.version=1.2.3 -X main.commit=<full SHA> -X main.date=<commit date, RFC 3339>
//
// A build without them fills in what the Go toolchain recorded: the module version for
// `go install …@v1.2.3`, the VCS revision and time for a build in a git checkout.
var (
	version = "dev"
	commit  = ""
	date    = ""
)

// buildInfo is what the binary knows about its own build.
type buildInfo struct {
	version, commit, date, goVersion string
	modified                         bool // built from a working tree with uncommitted changes
}

func readBuildInfo() buildInfo {
	b := buildInfo{version: version, commit: commit, date: date, goVersion: runtime.Version()}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	if b.version == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		b.version = strings.TrimPrefix(bi.Main.Version, "v")
	}
	stamped := b.commit != ""
	for _, s := range bi.Settings {
		switch {
		case s.Key == "vcs.revision" && !stamped:
			b.commit = s.Value
		case s.Key == "vcs.time" && b.date == "":
			b.date = s.Value
		case s.Key == "vcs.modified" && !stamped:
			b.modified = s.Value == "true"
		}
	}
	return b
}

// versionLine is what `schema-guard version` prints, for example
//
//	schema-guard 1.2.3 (commit 0123456789ab, 2026-05-01T10:00:00Z, go1.26.8 linux/amd64)
func versionLine() string {
	b := readBuildInfo()
	var parts []string
	if b.commit != "" {
		c := b.commit
		if len(c) > 12 {
			c = c[:12]
		}
		if b.modified {
			c += "+modified"
		}
		parts = append(parts, "commit "+c)
	}
	if b.date != "" {
		parts = append(parts, b.date)
	}
	parts = append(parts, b.goVersion+" "+runtime.GOOS+"/"+runtime.GOARCH)
	return fmt.Sprintf("schema-guard %s (%s)", b.version, strings.Join(parts, ", "))
}
