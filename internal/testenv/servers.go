package testenv

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
)

// DefaultDSNs are the accounts scripts/test-env.sh creates: MariaDB 10.11, MySQL 9.7 and
// MariaDB 11.8. The first is DefaultDSN.
var DefaultDSNs = []string{
	DefaultDSN,
	"schema_guard:schema_guard@tcp(127.0.0.1:3307)/",
	"schema_guard:schema_guard@tcp(127.0.0.1:3308)/",
}

// DefaultImages are the images scripts/test-image.sh builds, in the order of DefaultDSNs.
var DefaultImages = []string{
	DefaultImage,
	"schema-guard-test/mysql:9.7",
	"schema-guard-test/mariadb:11.8",
}

// Server is one test server reached by DSN.
type Server struct {
	// Name is the flavour and major.minor version, "mysql-9.7": the name of the server's subtest.
	Name string
	// Flavor is "mysql" or "mariadb"; Version is what VERSION() says, "9.7.4-2".
	Flavor, Version string
	// DSN is the test account's DSN, without a database.
	DSN string
}

// MySQL reports whether the server is MySQL (rather than MariaDB).
func (s Server) MySQL() bool { return s.Flavor == "mysql" }

// ServerImage is one container image for container-engine tests.
type ServerImage struct {
	// Name is the flavour and tag, "mysql-9.7": the name of the image's subtest.
	Name string
	// Ref is the image reference, "schema-guard-test/mysql:9.7".
	Ref string
}

// DSNs lists the configured test servers: SCHEMA_GUARD_TEST_DSNS (separated by white space), else
// SCHEMA_GUARD_TEST_DSN (one server), else DefaultDSNs.
func DSNs() []string {
	if l := strings.Fields(os.Getenv("SCHEMA_GUARD_TEST_DSNS")); len(l) > 0 {
		return l
	}
	if d := os.Getenv("SCHEMA_GUARD_TEST_DSN"); d != "" {
		return []string{d}
	}
	return DefaultDSNs
}

// Images lists the configured images: SCHEMA_GUARD_TEST_IMAGES (separated by white space), else
// SCHEMA_GUARD_TEST_IMAGE (one image), else DefaultImages.
func Images() []string {
	if l := strings.Fields(os.Getenv("SCHEMA_GUARD_TEST_IMAGES")); len(l) > 0 {
		return l
	}
	if i := os.Getenv("SCHEMA_GUARD_TEST_IMAGE"); i != "" {
		return []string{i}
	}
	return DefaultImages
}

// probed caches, per DSN, what the server said (or that it did not answer), so each server is
// asked once per test binary.
var probed sync.Map // dsn → *probe

type probe struct {
	once sync.Once
	srv  Server
	err  error
}

// lookup asks the server at dsn for its version, once.
func lookup(dsn string) (Server, error) {
	p, _ := probed.LoadOrStore(dsn, &probe{})
	pr := p.(*probe)
	pr.once.Do(func() { pr.srv, pr.err = ask(dsn) })
	return pr.srv, pr.err
}

func ask(dsn string) (Server, error) {
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		return Server{}, fmt.Errorf("test DSN %s: %w", redact(dsn), err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var version string
	if err := db.QueryRowContext(ctx, "SELECT VERSION()").Scan(&version); err != nil {
		return Server{}, fmt.Errorf("test server at %s does not answer: %w", redact(dsn), err)
	}
	return Server{Name: ServerName(version), Flavor: flavorOf(version), Version: version, DSN: dsn}, nil
}

var majorMinor = regexp.MustCompile(`^(\d+)\.(\d+)`)

// ServerName names a server by what VERSION() says: "mysql-9.7", "mariadb-10.11".
func ServerName(version string) string {
	mm := "unknown"
	if m := majorMinor.FindStringSubmatch(version); m != nil {
		mm = m[1] + "." + m[2]
	}
	return flavorOf(version) + "-" + mm
}

func flavorOf(version string) string {
	if strings.Contains(strings.ToLower(version), "mariadb") {
		return "mariadb"
	}
	return "mysql"
}

// ImageName names an image by its repository's last element and its tag:
// "schema-guard-test/mysql:9.7" is "mysql-9.7", "mariadb:11" is "mariadb-11".
func ImageName(ref string) string {
	repo, tag := ref, "latest"
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		repo, tag = ref[:i], ref[i+1:]
	}
	return repo[strings.LastIndex(repo, "/")+1:] + "-" + tag
}

// bound maps the name of a per-server or per-image subtest to what it runs on, so that DSN,
// ScratchDB and Image called anywhere inside it (or in its own subtests) use that server.
var bound sync.Map // test name → Server or Image

// boundTo finds the server or image the test t (or one of its parents) is bound to.
func boundTo[T any](t testing.TB) (T, bool) {
	for name := t.Name(); name != ""; {
		if v, ok := bound.Load(name); ok {
			if x, ok := v.(T); ok {
				return x, true
			}
		}
		i := strings.LastIndex(name, "/")
		if i < 0 {
			break
		}
		name = name[:i]
	}
	var zero T
	return zero, false
}

// EachServer runs f in one subtest per configured server, named by the server's flavour and
// version ("mariadb-10.11", "mysql-9.7", "mariadb-11.8"). Inside it DSN and ScratchDB use that
// server. A server that does not answer skips its subtest, or fails it when CI=true.
func EachServer(t *testing.T, f func(t *testing.T, s Server)) {
	t.Helper()
	for i, dsn := range DSNs() {
		srv, err := lookup(dsn)
		name := srv.Name
		if err != nil {
			name = fmt.Sprintf("server-%d", i+1)
		}
		t.Run(name, func(t *testing.T) {
			if err != nil {
				Unavailable(t, "%v", err)
			}
			bound.Store(t.Name(), srv)
			t.Cleanup(func() { bound.Delete(t.Name()) })
			f(t, srv)
		})
	}
}

// EachImage runs f in one subtest per configured image, named by the image ("mariadb-10.11",
// "mysql-9.7", "mariadb-11.8"). Inside it Image returns that image. An image Docker does not hold
// skips its subtest, or fails it when CI=true.
func EachImage(t *testing.T, f func(t *testing.T, image ServerImage)) {
	t.Helper()
	for _, ref := range Images() {
		img := ServerImage{Name: ImageName(ref), Ref: ref}
		t.Run(img.Name, func(t *testing.T) {
			bound.Store(t.Name(), img)
			t.Cleanup(func() { bound.Delete(t.Name()) })
			requireImage(t, ref)
			f(t, img)
		})
	}
}

// CurrentServer is the server the test runs on: the one of the EachServer subtest it is in, else
// the first configured server. It skips or fails (CI=true) the test when that server does not
// answer.
func CurrentServer(t testing.TB) Server {
	t.Helper()
	if s, ok := boundTo[Server](t); ok {
		return s
	}
	s, err := lookup(DSNs()[0])
	if err != nil {
		Unavailable(t, "%v", err)
	}
	return s
}

// imageChecked remembers the images Docker was seen to hold.
var imageChecked sync.Map // ref → true

func requireImage(t testing.TB, ref string) {
	t.Helper()
	SetContainerEnv(t)
	if _, ok := imageChecked.Load(ref); ok {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "docker", "image", "inspect", "--format", "{{.Id}}", ref).CombinedOutput()
	if err != nil {
		Unavailable(t, "docker image %s is not available: %v: %s", ref, err, out)
	}
	imageChecked.Store(ref, true)
}

// ServerDSN is the DSN of the server the test runs on, with database db selected.
func ServerDSN(t testing.TB, db string) string {
	t.Helper()
	cfg, err := mysql.ParseDSN(DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.DBName = db
	return cfg.FormatDSN()
}
