package e2e

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

// targets are the platforms of a release: the runners' and the developers' machines.
var targets = []string{"linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64", "windows/amd64", "windows/arm64"}

// release is the snapshot release scripts/snapshot.sh makes in dist/, as GoReleaser describes it
// (metadata.json, artifacts.json).
type release struct {
	dir       string            // dist/
	version   string            // 0.0.1-next: the archives' names and the binaries' stamp
	commit    string            // the full commit it was made from
	binaries  map[string]string // "linux/amd64" → path
	archives  map[string]string // "linux/amd64" → path
	checksums map[string]string // archive file name → sha256, from checksums.txt
}

// tag is the release's git tag, as the release workflow would have pushed it.
func (r *release) tag() string { return "v" + r.version }

// loadRelease reads dist/. It must be the release of this checkout's commit: an older one would
// test other code than the tree's.
func loadRelease(t testing.TB) *release {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "dist")
	var meta struct {
		Version, Commit string
	}
	data, err := os.ReadFile(filepath.Join(dir, "metadata.json"))
	if err != nil {
		testenv.Unavailable(t, "no release in dist/ (scripts/snapshot.sh makes it): %v", err)
	}
	if err := json.Unmarshal(data, &meta); err != nil {
		t.Fatalf("dist/metadata.json: %v", err)
	}
	head, err := exec.Command("git", "-C", root, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatalf("git rev-parse HEAD: %v", err)
	}
	if h := strings.TrimSpace(string(head)); meta.Commit != h {
		testenv.Unavailable(t, "dist/ holds the release of commit %q, not of HEAD %s (scripts/snapshot.sh remakes it)", meta.Commit, h)
	}
	r := &release{dir: dir, version: meta.Version, commit: meta.Commit,
		binaries: map[string]string{}, archives: map[string]string{}, checksums: map[string]string{}}

	var artifacts []struct {
		Name, Path, Type, Goos, Goarch string
	}
	data, err = os.ReadFile(filepath.Join(dir, "artifacts.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &artifacts); err != nil {
		t.Fatalf("dist/artifacts.json: %v", err)
	}
	for _, a := range artifacts {
		platform := a.Goos + "/" + a.Goarch
		switch a.Type {
		case "Binary":
			r.binaries[platform] = filepath.Join(root, a.Path)
		case "Archive":
			r.archives[platform] = filepath.Join(root, a.Path)
		}
	}
	sums, err := os.ReadFile(filepath.Join(dir, "checksums.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(sums)), "\n") {
		sum, name, ok := strings.Cut(line, "  ")
		if !ok {
			t.Fatalf("checksums.txt: a line that is not <sha256>  <file>: %q", line)
		}
		r.checksums[name] = sum
	}
	return r
}

// TestSnapshotBinaries checks the release's binaries and archives: the six platforms, static,
// stamped with the version, the commit and its date, archived under the names the action
// downloads, each listed in checksums.txt. It runs the one for this machine.
func TestSnapshotBinaries(t *testing.T) {
	r := loadRelease(t)
	var got []string
	for p := range r.binaries {
		got = append(got, p)
	}
	slices.Sort(got)
	want := slices.Clone(targets)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("binaries for %v; want %v", got, want)
	}

	for _, platform := range targets {
		t.Run(platform, func(t *testing.T) {
			path := r.binaries[platform]
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			checkBinaryFormat(t, platform, path)
			// -X main.version=… and main.commit=… are strings in the binary, whatever runs it.
			for _, stamp := range []string{r.version, r.commit} {
				if !bytes.Contains(data, []byte(stamp)) {
					t.Errorf("%s is not stamped with %q", path, stamp)
				}
			}
			checkArchive(t, r, platform, data)
		})
	}

	t.Run("runs", func(t *testing.T) {
		bin := r.binaries["linux/amd64"]
		out, err := exec.Command(bin, "version").CombinedOutput()
		if err != nil {
			t.Fatalf("%s version: %v: %s", bin, err, out)
		}
		date := commitDate(t, r.commit)
		want := fmt.Sprintf("schema-guard %s (commit %s, %s, ", r.version, r.commit[:12], date)
		if !strings.HasPrefix(string(out), want) {
			t.Errorf("%s version = %q; want it to start with %q", bin, out, want)
		}
		// It does its job, too: the documentation of every rule is compiled in.
		out, err = exec.Command(bin, "explain", "rename-column").CombinedOutput()
		if err != nil || !strings.Contains(string(out), "rename-column") {
			t.Errorf("%s explain rename-column: %v: %s", bin, err, out)
		}
	})
}

// checkBinaryFormat checks that the binary is an executable of the platform's format and
// architecture that needs no C library: on Linux no interpreter and no shared library at all; on
// macOS and Windows only the system's own libraries, which every Go binary links.
func checkBinaryFormat(t testing.TB, platform, path string) {
	t.Helper()
	goos, goarch, _ := strings.Cut(platform, "/")
	switch goos {
	case "linux":
		f, err := elf.Open(path)
		if err != nil {
			t.Fatalf("%s: not ELF: %v", path, err)
		}
		defer f.Close()
		if m := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}[goarch]; f.Machine != m {
			t.Errorf("%s: machine %v; want %v", path, f.Machine, m)
		}
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
				t.Errorf("%s: dynamically linked (%v program header)", path, p.Type)
			}
		}
	case "darwin":
		f, err := macho.Open(path)
		if err != nil {
			t.Fatalf("%s: not Mach-O: %v", path, err)
		}
		defer f.Close()
		if c := map[string]macho.Cpu{"amd64": macho.CpuAmd64, "arm64": macho.CpuArm64}[goarch]; f.Cpu != c {
			t.Errorf("%s: cpu %v; want %v", path, f.Cpu, c)
		}
		libs, err := f.ImportedLibraries()
		if err != nil {
			t.Fatal(err)
		}
		for _, lib := range libs {
			if !strings.HasPrefix(lib, "/usr/lib/") && !strings.HasPrefix(lib, "/System/Library/") {
				t.Errorf("%s links %s, which is not part of macOS", path, lib)
			}
		}
	case "windows":
		f, err := pe.Open(path)
		if err != nil {
			t.Fatalf("%s: not PE: %v", path, err)
		}
		defer f.Close()
		if m := map[string]uint16{"amd64": pe.IMAGE_FILE_MACHINE_AMD64, "arm64": pe.IMAGE_FILE_MACHINE_ARM64}[goarch]; f.Machine != m {
			t.Errorf("%s: machine %#x; want %#x", path, f.Machine, m)
		}
		libs, err := f.ImportedLibraries()
		if err != nil {
			t.Fatal(err)
		}
		for _, lib := range libs {
			// A C runtime (msvcrt, ucrtbase, libgcc) would mean cgo.
			if l := strings.ToLower(lib); strings.Contains(l, "msvcr") || strings.Contains(l, "ucrt") || strings.Contains(l, "gcc") {
				t.Errorf("%s links the C runtime %s", path, lib)
			}
		}
	}
}

// checkArchive checks the platform's archive: named as the action downloads it, listed in
// checksums.txt with its sha256, holding the binary (the same bytes) and the README.
func checkArchive(t testing.TB, r *release, platform string, binary []byte) {
	t.Helper()
	goos, goarch, _ := strings.Cut(platform, "/")
	ext, exe := ".tar.gz", "schema-guard"
	if goos == "windows" {
		ext, exe = ".zip", "schema-guard.exe"
	}
	path := r.archives[platform]
	if want := fmt.Sprintf("schema-guard_%s_%s_%s%s", r.version, goos, goarch, ext); filepath.Base(path) != want {
		t.Fatalf("archive %q; want %s", path, want)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if got, want := hex.EncodeToString(sum[:]), r.checksums[filepath.Base(path)]; got != want {
		t.Errorf("%s: sha256 %s; checksums.txt says %q", path, got, want)
	}
	files := archiveFiles(t, path, data)
	if !bytes.Equal(files[exe], binary) {
		t.Errorf("%s: %s is not the built binary (files: %v)", path, exe, slices.Sorted(maps.Keys(files)))
	}
	if _, ok := files["README.md"]; !ok {
		t.Errorf("%s has no README.md", path)
	}
}

// archiveFiles reads a .tar.gz or .zip into memory: name → content.
func archiveFiles(t testing.TB, path string, data []byte) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	if strings.HasSuffix(path, ".zip") {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			files[f.Name] = b
		}
		return files
	}
	gz, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return files
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		files[h.Name] = b
	}
}

// commitDate is the commit's committer date in UTC, as GoReleaser's CommitDate writes it.
func commitDate(t testing.TB, commit string) string {
	t.Helper()
	out, err := exec.Command("git", "-C", "..", "show", "-s", "--format=%ct", commit).Output()
	if err != nil {
		t.Fatalf("git show %s: %v", commit, err)
	}
	sec, err := strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return time.Unix(sec, 0).UTC().Format(time.RFC3339)
}
