package copier

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/schema-guard/schema-guard/introspect"
)

// Controls are the production controls of a copy, named like gh-ost's flags so that its users
// find their way: when to pause (the server's load, a replica's lag, a flag file), when to give
// up (a critical load), when to cut over (a flag file), and whether to resume a killed copy.
//
// A paused copy hands out no new chunk; the chunks already being copied finish (each is one
// short transaction), and nothing else is written by the copier. A failure of a chunk that
// finished as the pause began is reported when the copy goes on. Load limits count the
// server's threads as they are, the copier's own sessions (the workers, one checking) included. The triggers keep capturing
// the application's writes while it is paused — they must, or the shadow table would miss
// them — so a pause takes the copy's own load off the server, not the application's.
type Controls struct {
	// MaxLoad pauses the copy while any of these global status variables is above its limit
	// (gh-ost's --max-load 'Threads_running=25').
	MaxLoad []StatusLimit
	// CriticalLoad stops the copy, which cleans up, as soon as any of these is above its limit
	// (gh-ost's --critical-load 'Threads_running=200').
	CriticalLoad []StatusLimit
	// ThrottleFlagFile pauses the copy while this file exists.
	ThrottleFlagFile string
	// Replicas are DSNs of replicas whose lag is watched: the copy pauses while any lags more
	// than MaxLag behind its primary, while its replication is not running (its lag is then
	// unknown), and while it cannot be reached. A replica is never ignored.
	Replicas []string
	// MaxLag is the lag Replicas may have; 0 means 1 s. Lag is the replica's
	// Seconds_Behind_Master (Seconds_Behind_Source), so it is measured in whole seconds.
	MaxLag time.Duration
	// PostponeCutoverFlagFile holds the cut-over while this file exists: the copy is complete
	// and the triggers keep the new table in sync until the file is removed.
	PostponeCutoverFlagFile string
	// Resume continues a copy that was killed or crashed (its shadow table, triggers and
	// checkpoint table are still there) from its last committed chunks instead of refusing
	// to start; without leftovers it starts a new copy. See resume.go.
	Resume bool
}

// StatusLimit is a global status variable and the value it may reach.
type StatusLimit struct {
	Name  string
	Limit float64
}

func (l StatusLimit) String() string {
	return l.Name + "=" + strconv.FormatFloat(l.Limit, 'f', -1, 64)
}

// statusName is what a status variable's name may look like; it is written into SQL.
var statusName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// ParseStatusLimits reads gh-ost's "Threads_running=25,Threads_connected=500".
func ParseStatusLimits(s string) ([]StatusLimit, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []StatusLimit
	for _, part := range strings.Split(s, ",") {
		name, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || !statusName.MatchString(name) {
			return nil, fmt.Errorf("want STATUS=VALUE pairs such as Threads_running=25, not %q", part)
		}
		limit, err := strconv.ParseFloat(value, 64)
		if err != nil || limit < 0 {
			return nil, fmt.Errorf("%s wants a number at or above 0, not %q", name, value)
		}
		out = append(out, StatusLimit{Name: name, Limit: limit})
	}
	return out, nil
}

// CriticalLoadError is a copy stopped by Controls.CriticalLoad.
type CriticalLoadError struct {
	Status StatusLimit
	Value  float64
}

func (e *CriticalLoadError) Error() string {
	return fmt.Sprintf("critical load: %s=%s is above %s (--critical-load); the copy stopped",
		e.Status.Name, strconv.FormatFloat(e.Value, 'f', -1, 64), strconv.FormatFloat(e.Status.Limit, 'f', -1, 64))
}

// Poll intervals: while paused or postponed, the conditions are looked at this often. While
// copying, the server's status and the replicas are asked at most every throttleCheckEvery
// (the flag file at every chunk), so that a copy of small chunks does not query them
// hundreds of times a second.
const (
	throttlePoll       = 200 * time.Millisecond
	throttleCheckEvery = 250 * time.Millisecond
	replicaTimeout     = 5 * time.Second
)

// controls is the run's state for the controls (a field of run).
type controls struct {
	th         *throttler
	lastPaused string       // the last pause reason told to opts.Progress
	resume     *resumeState // what an earlier run left, when resuming
}

// throttler decides whether the copy may go on. It is used by the coordinator only.
type throttler struct {
	c        Controls
	status   querier // the guard session
	replicas []*replica
	// paused is why the copy is paused ("" while it runs), since when, and the last reason
	// seen by the server checks, which are not asked at every chunk.
	paused    string
	since     time.Time
	lastCheck time.Time
	lastWhy   []string
}

func newThrottler(c Controls, status querier) (*throttler, error) {
	if c.MaxLag <= 0 {
		c.MaxLag = time.Second
	}
	th := &throttler{c: c, status: status}
	for _, dsn := range c.Replicas {
		rep, err := openReplica(dsn)
		if err != nil {
			th.close()
			return nil, err
		}
		th.replicas = append(th.replicas, rep)
	}
	return th, nil
}

func (th *throttler) close() {
	for _, rep := range th.replicas {
		_ = rep.db.Close()
	}
}

// active reports whether any control can pause or stop the copy.
func (th *throttler) active() bool {
	c := th.c
	return len(c.MaxLoad) > 0 || len(c.CriticalLoad) > 0 || c.ThrottleFlagFile != "" || len(c.Replicas) > 0
}

// check returns why the copy must pause now ("" when it may go on), or a *CriticalLoadError.
// The server is asked at the first check, at every check while paused, and otherwise at most
// every throttleCheckEvery.
func (th *throttler) check(ctx context.Context) (string, error) {
	var why []string
	if f := th.c.ThrottleFlagFile; f != "" && fileExists(f) {
		why = append(why, "the throttle flag file "+f+" exists")
	}
	if th.paused != "" || th.lastCheck.IsZero() || time.Since(th.lastCheck) >= throttleCheckEvery {
		server, err := th.serverReasons(ctx)
		if err != nil {
			return "", err
		}
		th.lastCheck, th.lastWhy = time.Now(), server
	}
	why = append(why, th.lastWhy...)
	return strings.Join(why, "; "), nil
}

// serverReasons asks the server's status and the replicas.
func (th *throttler) serverReasons(ctx context.Context) ([]string, error) {
	var why []string
	if len(th.c.MaxLoad) > 0 || len(th.c.CriticalLoad) > 0 {
		values, err := readStatus(ctx, th.status, append(append([]StatusLimit(nil), th.c.CriticalLoad...), th.c.MaxLoad...))
		if err != nil {
			return nil, err
		}
		for _, l := range th.c.CriticalLoad {
			if v := values[strings.ToLower(l.Name)]; v > l.Limit {
				return nil, &CriticalLoadError{Status: l, Value: v}
			}
		}
		for _, l := range th.c.MaxLoad {
			if v := values[strings.ToLower(l.Name)]; v > l.Limit {
				why = append(why, fmt.Sprintf("%s=%s is above --max-load %s", l.Name, strconv.FormatFloat(v, 'f', -1, 64), l))
			}
		}
	}
	for _, rep := range th.replicas {
		if r := rep.reason(ctx, th.c.MaxLag); r != "" {
			why = append(why, r)
		}
	}
	return why, nil
}

// critical checks only CriticalLoad: while the cut-over is postponed nothing is copied, but a
// server in trouble still stops the run.
func (th *throttler) critical(ctx context.Context) error {
	if len(th.c.CriticalLoad) == 0 {
		return nil
	}
	values, err := readStatus(ctx, th.status, th.c.CriticalLoad)
	if err != nil {
		return err
	}
	for _, l := range th.c.CriticalLoad {
		if v := values[strings.ToLower(l.Name)]; v > l.Limit {
			return &CriticalLoadError{Status: l, Value: v}
		}
	}
	return nil
}

// readStatus reads the global status variables the limits name, lower-cased. A name the server
// does not have is an error: a limit that can never be reached would silently never pause.
func readStatus(ctx context.Context, q querier, limits []StatusLimit) (map[string]float64, error) {
	quoted := make([]string, 0, len(limits))
	for _, l := range limits {
		if !statusName.MatchString(l.Name) {
			return nil, fmt.Errorf("status variable %q: not a name", l.Name)
		}
		quoted = append(quoted, "'"+l.Name+"'")
	}
	values := map[string]float64{}
	err := introspect.QueryRows(ctx, q, "SHOW GLOBAL STATUS WHERE Variable_name IN ("+strings.Join(quoted, ", ")+")", nil, func(r *sql.Rows) error {
		var name, value string
		if err := r.Scan(&name, &value); err != nil {
			return err
		}
		v, err := strconv.ParseFloat(value, 64)
		if err != nil {
			return fmt.Errorf("status variable %s is %q, not a number", name, value)
		}
		values[strings.ToLower(name)] = v
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the server's status: %w", err)
	}
	for _, l := range limits {
		if _, ok := values[strings.ToLower(l.Name)]; !ok {
			return nil, fmt.Errorf("the server has no global status variable %s (see SHOW GLOBAL STATUS)", l.Name)
		}
	}
	return values, nil
}

// fileExists reports whether path exists; a file that cannot be looked at (permissions) counts
// as there, so that a mistake pauses rather than lets the copy run.
func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil || !errors.Is(err, os.ErrNotExist)
}

// throttle waits while the controls say the copy must pause, telling the log and the progress
// why; it returns a *CriticalLoadError when the load is critical. While paused, the error
// table is read too: the triggers keep writing, and a write the new table cannot hold stops
// the copy now rather than when it resumes.
func (r *run) throttle(ctx context.Context, phase string) error {
	if err := r.startControls(); err != nil {
		return err
	}
	th := r.ctl.th
	if !th.active() {
		return nil
	}
	for {
		why, err := th.check(ctx)
		if err != nil {
			return fmt.Errorf("copier: %w", err)
		}
		if why == "" {
			if th.paused != "" {
				r.log.Info("copy resumed", "table", r.n.table, "paused", time.Since(th.since).Round(time.Millisecond))
				th.paused = ""
				r.progressPaused(phase, "")
			}
			return nil
		}
		if th.paused == "" {
			th.since = time.Now()
		}
		if why != th.paused {
			r.log.Info("copy paused: "+why, "table", r.n.table)
			th.paused = why
		}
		r.progressPaused(phase, "paused: "+why)
		if te, err := readTriggerError(ctx, r.guard, r.n); err != nil || te != nil {
			if err != nil {
				return fmt.Errorf("copier: %w", err)
			}
			return te.refusal(r.n.table)
		}
		if err := sleep(ctx, throttlePoll); err != nil {
			return err
		}
	}
}

// checkControls runs before anything is created: a critical load stops the run before it adds
// DDL to a server in trouble, and a status variable the server does not have is named before a
// copy starts that it could never pause.
func (r *run) checkControls(ctx context.Context) error {
	if err := r.startControls(); err != nil {
		return err
	}
	c := r.opts.Controls
	if len(c.MaxLoad) == 0 && len(c.CriticalLoad) == 0 {
		return nil
	}
	if _, err := readStatus(ctx, r.guard, append(append([]StatusLimit(nil), c.CriticalLoad...), c.MaxLoad...)); err != nil {
		return fmt.Errorf("copier: %w", err)
	}
	if err := r.ctl.th.critical(ctx); err != nil {
		return fmt.Errorf("copier: %w", err)
	}
	return nil
}

// startControls opens the replicas' pools the first time the controls are needed.
func (r *run) startControls() error {
	if r.ctl.th != nil {
		return nil
	}
	th, err := newThrottler(r.opts.Controls, r.guard)
	if err != nil {
		return fmt.Errorf("copier: %w", err)
	}
	r.ctl.th = th
	return nil
}

// closeControls closes the replicas' pools.
func (r *run) closeControls() {
	if r.ctl.th != nil {
		r.ctl.th.close()
	}
}

// beforeCutover holds the cut-over while the postpone flag file exists — the copy is complete
// and the triggers keep the new table in sync meanwhile, so a write made during the wait is
// in the new table after the swap — and then while the throttling conditions hold: a cut-over
// is a burst of locks and DDL that an overloaded server or a lagging replica does not need
// either. A critical load or a failed trigger stops the run meanwhile.
func (r *run) beforeCutover(ctx context.Context) error {
	if !r.opts.Execute {
		return nil
	}
	if err := r.startControls(); err != nil {
		return err
	}
	if f := r.opts.PostponeCutoverFlagFile; f != "" && fileExists(f) {
		since := time.Now()
		r.log.Info("cut-over postponed while "+f+" exists; the triggers keep the new table in sync", "table", r.n.table)
		for fileExists(f) {
			r.progressPaused(phaseCutover, "postponed: the postpone-cutover flag file "+f+" exists")
			if err := r.ctl.th.critical(ctx); err != nil {
				return fmt.Errorf("copier: %w", err)
			}
			if te, err := readTriggerError(ctx, r.guard, r.n); err != nil || te != nil {
				if err != nil {
					return fmt.Errorf("copier: %w", err)
				}
				return te.refusal(r.n.table)
			}
			if err := sleep(ctx, throttlePoll); err != nil {
				return err
			}
		}
		r.log.Info(f+" is gone; cutting over", "table", r.n.table, "postponed", time.Since(since).Round(time.Millisecond))
	}
	return r.throttle(ctx, phaseCutover)
}

// progressPaused tells opts.Progress that the copy is paused and why (paused ""), or that it
// runs again, at once when the reason changes and at most once a second otherwise.
func (r *run) progressPaused(phase, paused string) {
	if r.opts.Progress == nil || r.co == nil {
		return
	}
	if paused != "" && paused == r.ctl.lastPaused && time.Since(r.lastReport) < time.Second {
		return
	}
	r.ctl.lastPaused, r.lastReport = paused, time.Now()
	p := Progress{Phase: phase, Copied: r.co.copied, Total: r.estimate(), Paused: paused}
	if s := time.Since(r.copyBegan).Seconds(); s > 0 {
		p.Rate = float64(p.Copied) / s
	}
	r.opts.Progress(p)
}
