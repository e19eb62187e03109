package main

import (
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/schema-guard/schema-guard/copier"
)

// copyControlsUsage is the part of copy's usage about the production controls.
const copyControlsUsage = `
Production controls (named like gh-ost's):
  --max-load STATUS=N,...   pause while any of these global status values is above N
                            ('Threads_running=25,Threads_connected=500')
  --critical-load STATUS=N,...
                            stop (and clean up) as soon as any of these is above N
  --throttle-flag-file PATH pause while PATH exists
  --replica DSN             a replica whose lag to watch (repeatable): pause while it lags more
                            than --max-lag, while its replication is stopped, or while it cannot
                            be reached
  --max-lag DURATION        the lag the replicas may have (default 1s; whole seconds, from
                            Seconds_Behind_Master)
  --postpone-cutover-flag-file PATH
                            copy, then keep the new table in sync and cut over only once PATH
                            is gone (with --execute)
  --resume                  continue a copy that was killed or crashed from its committed chunks
                            (checked against the table again) instead of refusing its leftovers;
                            without leftovers, start a new copy
A paused copy copies nothing; the triggers keep capturing the application's writes. Progress and
the log say when and why it pauses.
`

// controlFlags adds the production controls' flags to fs; the returned function finishes
// reading them into c after fs.Parse.
func controlFlags(fs *flag.FlagSet, c *copier.Controls) func() error {
	var maxLoad, criticalLoad string
	fs.StringVar(&maxLoad, "max-load", "", "")
	fs.StringVar(&criticalLoad, "critical-load", "", "")
	fs.StringVar(&c.ThrottleFlagFile, "throttle-flag-file", "", "")
	fs.Func("replica", "", func(dsn string) error {
		if dsn == "" {
			return errors.New("empty DSN")
		}
		c.Replicas = append(c.Replicas, dsn)
		return nil
	})
	fs.DurationVar(&c.MaxLag, "max-lag", time.Second, "")
	fs.StringVar(&c.PostponeCutoverFlagFile, "postpone-cutover-flag-file", "", "")
	fs.BoolVar(&c.Resume, "resume", false, "")
	return func() error {
		var err error
		if c.MaxLoad, err = copier.ParseStatusLimits(maxLoad); err != nil {
			return fmt.Errorf("--max-load: %w", err)
		}
		if c.CriticalLoad, err = copier.ParseStatusLimits(criticalLoad); err != nil {
			return fmt.Errorf("--critical-load: %w", err)
		}
		for _, dsn := range c.Replicas {
			if _, err := mysql.ParseDSN(dsn); err != nil {
				return fmt.Errorf("--replica: %w", err)
			}
		}
		if c.MaxLag <= 0 {
			return errors.New("--max-lag wants a duration above 0, such as 1s")
		}
		return nil
	}
}
