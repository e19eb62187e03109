package schema

// Online is what the server accepts for an ALTER, measured by running it on an empty copy of
// the table (runner.Server.MeasureOnline): the first of ALGORITHM=INSTANT, ALGORITHM=INPLACE (or
// NOCOPY, MariaDB) with LOCK=NONE, then weaker combinations, that the server takes. It is data:
// the rules judge it without a server.
type Online struct {
	Algorithm string // INSTANT, INPLACE, NOCOPY or COPY
	Lock      string // NONE, SHARED or EXCLUSIVE; "" with INSTANT
	// Refusal is the server's answer to the online forms it refused, for the finding.
	Refusal string
	// Attempts are the forms tried, in order, up to and including the one accepted.
	Attempts []OnlineAttempt
	// Named is true when the statement names its own ALGORITHM or LOCK, which production
	// honours: the answer is about the statement as written.
	Named bool
	// Rebuild says why the statement rebuilds the whole table whatever an empty copy answers
	// (ENGINE=, FORCE, ORDER BY, partitioning); it was not run then, and is reported as a copy.
	Rebuild string
}

// OnlineAttempt is one form of the statement MeasureOnline tried.
type OnlineAttempt struct {
	Algorithm, Lock string // Lock is "" when the form names no lock (INSTANT)
	SQL             string // the statement as sent
	// Number and Message are the server's error when it refused this form; Number is 0 when it
	// accepted it.
	Number  uint16
	Message string
}

// Blocking reports whether the ALTER cannot run without blocking writes: neither INSTANT nor an
// in-place algorithm with LOCK=NONE is accepted.
func (o *Online) Blocking() bool {
	return o.Algorithm != "INSTANT" && o.Lock != "NONE"
}
