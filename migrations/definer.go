package migrations

import "strings"

// Header is what the first words of a CREATE, DROP, INSERT or REPLACE statement say about the
// object it acts on. The TiDB parser cannot read several statements that declare objects (CREATE
// TRIGGER, CREATE FUNCTION, MariaDB's CREATE OR REPLACE TABLE, mysqldump's trigger wrapped in
// executable comments), yet where a trigger or routine is declared still has to be known; the
// header is regular enough for a token scanner, and nothing past the object's name is read.
type Header struct {
	Verb string // "create", "drop", "insert" or "replace"
	// Kind is the object's kind, lower case: "table", "view", "trigger", "procedure", "function",
	// "event", "index", "database", … as written; "table" for INSERT and REPLACE.
	Kind string
	// Names are the object names, unquoted and without a database qualifier. Only DROP can name
	// several (DROP TABLE a, b); a CREATE INDEX names the index.
	Names []string
	// On is a trigger's table: CREATE TRIGGER t {BEFORE|AFTER} {INSERT|UPDATE|DELETE} ON <On>.
	On        string
	OrReplace bool
	Temporary bool

	definer span // the DEFINER = user clause, for StripDefiner; zero when there is none
	// comment is the executable comment the DEFINER clause sits in, if it does.
	comment execComment
}

// span is a byte range [start, end) of a statement's text.
type span struct{ start, end int }

// execComment is a "/*!50017 … */" in a statement: open is "/*!50017", close is "*/".
type execComment struct {
	open, close span
}

// ReadHeader reads the header of a CREATE, DROP, INSERT or REPLACE statement. It skips comments,
// the markers of executable comments ("/*!50003", "*/"), OR REPLACE, ALGORITHM = …, DEFINER =
// user@host (any quoting, CURRENT_USER), SQL SECURITY …, TEMPORARY, AGGREGATE and IF [NOT]
// EXISTS. ok is false when the statement is none of those or its header is cut short.
func ReadHeader(sql string) (h Header, ok bool) {
	sc := &headerScanner{src: sql}
	verb := strings.ToLower(sc.word())
	h.Verb = verb
	switch verb {
	case "create":
		return sc.create(h)
	case "drop":
		if sc.keyword("temporary") {
			h.Temporary = true
		}
		h.Kind = strings.ToLower(sc.word())
		if h.Kind == "" {
			return h, false
		}
		if sc.keyword("if") && !sc.keyword("exists") {
			return h, false
		}
		for {
			name, ok := sc.objectName()
			if !ok {
				return h, len(h.Names) > 0
			}
			h.Names = append(h.Names, name)
			if !sc.punct(',') {
				return h, true
			}
		}
	case "insert", "replace":
		h.Kind = "table"
		// INSERT [LOW_PRIORITY | DELAYED | HIGH_PRIORITY] [IGNORE] [INTO] name
		modifiers := 0
		for modifiers < 3 && (sc.keyword("low_priority") || sc.keyword("delayed") || sc.keyword("high_priority") || sc.keyword("ignore")) {
			modifiers++
		}
		sc.keyword("into")
		name, ok := sc.objectName()
		if !ok {
			return h, false
		}
		h.Names = []string{name}
		return h, true
	}
	return h, false
}

// create reads what follows CREATE: the options that may come before the object kind, the kind,
// IF NOT EXISTS and the name.
func (sc *headerScanner) create(h Header) (Header, bool) {
	for {
		start, comment := sc.peek()
		w := strings.ToLower(sc.word())
		switch w {
		case "":
			return h, false
		case "or":
			if !sc.keyword("replace") {
				return h, false
			}
			h.OrReplace = true
		case "algorithm":
			if !sc.punct('=') || sc.word() == "" {
				return h, false
			}
		case "definer":
			if !sc.punct('=') || !sc.user() {
				return h, false
			}
			if h.definer == (span{}) {
				h.definer = span{start, sc.pos}
				h.comment = comment
			}
		case "sql":
			if !sc.keyword("security") || sc.word() == "" {
				return h, false
			}
		case "temporary":
			h.Temporary = true
		case "aggregate", "unique", "fulltext", "spatial", "online", "offline":
			// AGGREGATE FUNCTION (MariaDB), UNIQUE INDEX: the kind follows.
		default:
			h.Kind = w
			if sc.keyword("if") && !(sc.keyword("not") && sc.keyword("exists")) {
				return h, false
			}
			name, ok := sc.objectName()
			if !ok {
				return h, false
			}
			h.Names = []string{name}
			if h.Kind == "trigger" {
				// The parser cannot read triggers, so the header tells which table one watches.
				sc.word() // BEFORE | AFTER
				sc.word() // INSERT | UPDATE | DELETE
				if sc.keyword("on") {
					h.On, _ = sc.objectName()
				}
			}
			return h, true
		}
	}
}

// headerScanner reads the tokens of a statement header. Comments are skipped; executable
// comments are SQL, so only their markers are skipped, and the scanner remembers which one it is
// inside so that StripDefiner can keep it well-formed.
type headerScanner struct {
	src     string
	pos     int
	comment execComment // the executable comment pos is inside; zero when none
}

// skip moves past spaces, comments and executable-comment markers.
func (sc *headerScanner) skip() {
	for sc.pos < len(sc.src) {
		rest := sc.src[sc.pos:]
		switch c := rest[0]; {
		case isSpace(c):
			sc.pos++
		case c == '#' || strings.HasPrefix(rest, "--") && (len(rest) == 2 || rest[2] <= ' '):
			sc.pos = lineEnd([]byte(sc.src), sc.pos)
		case strings.HasPrefix(rest, "/*!") || strings.HasPrefix(rest, "/*M!"):
			if sc.comment != (execComment{}) {
				return // not nested in MySQL either; let the caller stop on it
			}
			n := execCommentOpener([]byte(rest))
			for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
				n++
			}
			sc.comment = execComment{open: span{sc.pos, sc.pos + n}}
			sc.pos += n
		case strings.HasPrefix(rest, "*/") && sc.comment != (execComment{}):
			sc.comment = execComment{}
			sc.pos += 2
		case strings.HasPrefix(rest, "/*"):
			end := strings.Index(rest[2:], "*/")
			if end < 0 {
				sc.pos = len(sc.src)
				return
			}
			sc.pos += 2 + end + 2
		default:
			return
		}
	}
}

// peek skips to the next token and returns where it starts and the executable comment it is in,
// with that comment's close marker filled in when it can be found.
func (sc *headerScanner) peek() (int, execComment) {
	sc.skip()
	c := sc.comment
	if c != (execComment{}) {
		if end := closeOf(sc.src, sc.pos); end >= 0 {
			c.close = span{end, end + 2}
		}
	}
	return sc.pos, c
}

// closeOf finds the "*/" that closes the executable comment holding offset from, skipping quoted
// text; -1 when there is none.
func closeOf(src string, from int) int {
	for i := from; i < len(src); i++ {
		switch src[i] {
		case '\'', '"', '`':
			end, ok := quoteEnd([]byte(src), i)
			if !ok {
				return -1
			}
			i = end - 1
		case '*':
			if i+1 < len(src) && src[i+1] == '/' {
				return i
			}
		}
	}
	return -1
}

// word returns the next token when it is a bare word, else "" without moving.
func (sc *headerScanner) word() string {
	sc.skip()
	i := sc.pos
	if i >= len(sc.src) || !isWordStart(sc.src[i]) && !(sc.src[i] >= '0' && sc.src[i] <= '9') {
		return ""
	}
	j := i + 1
	for j < len(sc.src) && isWordByte(sc.src[j]) {
		j++
	}
	sc.pos = j
	return sc.src[i:j]
}

// keyword consumes the next token if it is the word kw (case-insensitive).
func (sc *headerScanner) keyword(kw string) bool {
	save, comment := sc.pos, sc.comment
	if strings.EqualFold(sc.word(), kw) {
		return true
	}
	sc.pos, sc.comment = save, comment
	return false
}

// punct consumes the next token if it is the character c.
func (sc *headerScanner) punct(c byte) bool {
	sc.skip()
	if sc.pos < len(sc.src) && sc.src[sc.pos] == c {
		sc.pos++
		return true
	}
	return false
}

// ident reads a bare word, a `quoted` identifier or a "quoted" one (ANSI_QUOTES), unquoted.
func (sc *headerScanner) ident() (string, bool) {
	sc.skip()
	if sc.pos >= len(sc.src) {
		return "", false
	}
	switch q := sc.src[sc.pos]; q {
	case '`', '"', '\'':
		end, ok := quoteEnd([]byte(sc.src), sc.pos)
		if !ok {
			return "", false
		}
		inner := sc.src[sc.pos+1 : end-1]
		sc.pos = end
		return strings.ReplaceAll(inner, string([]byte{q, q}), string(q)), true
	}
	w := sc.word()
	return w, w != ""
}

// objectName reads [db.]name and returns name.
func (sc *headerScanner) objectName() (string, bool) {
	name, ok := sc.ident()
	if !ok || name == "" {
		return "", false
	}
	save := sc.pos
	if sc.punct('.') {
		if n, ok := sc.ident(); ok && n != "" {
			return n, true
		}
		sc.pos = save
	}
	return name, true
}

// user reads an account: CURRENT_USER, CURRENT_USER(), CURRENT_ROLE, or name[@host] where either
// part is a bare word, `quoted`, 'quoted' or "quoted". A bare host may hold dots, dashes and %
// (root@127.0.0.1), as the server's lexer reads it.
func (sc *headerScanner) user() bool {
	save := sc.pos
	if w := strings.ToLower(sc.word()); w == "current_user" || w == "current_role" {
		after := sc.pos
		if !(sc.punct('(') && sc.punct(')')) {
			sc.pos = after
		}
		return true
	}
	sc.pos = save
	if _, ok := sc.ident(); !ok {
		return false
	}
	// Only spaces may surround the @: a comment there would be odd enough to leave alone.
	i := sc.pos
	for i < len(sc.src) && (sc.src[i] == ' ' || sc.src[i] == '\t') {
		i++
	}
	if i >= len(sc.src) || sc.src[i] != '@' {
		return true
	}
	i++
	for i < len(sc.src) && (sc.src[i] == ' ' || sc.src[i] == '\t') {
		i++
	}
	if i < len(sc.src) && (sc.src[i] == '`' || sc.src[i] == '\'' || sc.src[i] == '"') {
		end, ok := quoteEnd([]byte(sc.src), i)
		if !ok {
			return false
		}
		sc.pos = end
		return true
	}
	j := i
	for j < len(sc.src) && (isWordByte(sc.src[j]) || sc.src[j] == '.' || sc.src[j] == '-' || sc.src[j] == '%') {
		j++
	}
	if j == i {
		return false
	}
	sc.pos = j
	return true
}

// definerKinds are the objects whose CREATE statement can carry a DEFINER.
var definerKinds = map[string]bool{"view": true, "trigger": true, "procedure": true, "function": true, "event": true}

// StripDefiner removes the DEFINER = user clause from the header of a CREATE VIEW, TRIGGER,
// PROCEDURE, FUNCTION or EVENT statement, and returns any other statement unchanged. Replay runs
// in scratch databases under schema-guard's own account: a definer naming a production account
// fails on a shared server without SUPER or SET USER, and the definer is deployment identity, not
// schema. The server then makes the current account the definer.
//
// mysqldump's forms are kept well-formed: "/*!50013 DEFINER=`root`@`%` SQL SECURITY DEFINER */"
// becomes "/*!50013 SQL SECURITY DEFINER */", and an emptied "/*!50017 DEFINER=… */" is dropped.
// Only the header is read, never the body, and the result is never longer than sql.
func StripDefiner(sql string) string {
	// Each pass removes one clause and the text shrinks, so this ends; a second DEFINER is
	// invalid SQL but is removed too, so the result never carries one in its header.
	for {
		h, ok := ReadHeader(sql)
		if !ok || h.Verb != "create" || !definerKinds[h.Kind] || h.definer == (span{}) {
			return sql
		}
		out, ok := cutDefiner(sql, h)
		if !ok {
			return sql
		}
		sql = out
	}
}

// cutDefiner removes h's DEFINER clause from sql.
func cutDefiner(sql string, h Header) (string, bool) {
	d, c := h.definer, h.comment
	if c == (execComment{}) {
		return cut(sql, d.start, d.end), true
	}
	if c.close == (span{}) || c.close.start < d.end {
		return "", false // the clause runs out of its comment: leave such text alone
	}
	rest := sql[c.open.end:d.start] + sql[d.end:c.close.start]
	if strings.TrimSpace(rest) == "" {
		// "/*!50017 DEFINER=… */" held nothing else: an empty versioned comment is noise.
		return cut(sql, c.open.start, c.close.end), true
	}
	return cut(sql, d.start, d.end), true
}

// cut removes sql[start:end] and the spaces around it that would otherwise double up, keeping one
// separator where both sides need one. The result is shorter than sql.
func cut(sql string, start, end int) string {
	left, right := sql[:start], sql[end:]
	lspace := left != "" && isSpace(left[len(left)-1])
	rtrim := strings.TrimLeft(right, " \t\r\n\f\v")
	switch {
	case left == "" || lspace:
		return left + rtrim
	case rtrim != right || right == "":
		return left + right
	case strings.HasPrefix(right, "*/"):
		return left + right
	}
	return left + " " + right
}
