package migrations

import "strings"

// compound follows the words of one statement to tell whether a ";" inside it ends it. Stored
// programs (CREATE TRIGGER, PROCEDURE, FUNCTION, EVENT) and MariaDB's anonymous BEGIN NOT
// ATOMIC blocks hold inner statements ended by ";" inside BEGIN … END. Files for tools that send
// them to the server whole (golang-migrate, dbmate) are written without DELIMITER, because the
// server reads the block as one statement; Flyway counts blocks the same way. So with ";" as the
// delimiter, a ";" inside an open block belongs to the statement.
//
// Only the nesting words are counted: BEGIN and CASE open a block, END closes one, except
// END IF, END LOOP, END WHILE and END REPEAT, which close statements that were never counted
// as opening one. A CASE expression ends with a bare END and a CASE statement with END CASE;
// both close the CASE that opened them.
type compound struct {
	words   int
	program bool // the statement is a stored program or an anonymous block
	decided bool // whether program is known
	depth   int
	// pendingEnd is set after END: whether it closes a block depends on the next word.
	pendingEnd bool
	first      string
}

// programStoppers are words that, met before TRIGGER/PROCEDURE/FUNCTION/EVENT in a CREATE
// statement, show it creates something else ("CREATE TABLE trigger_log").
var programStoppers = map[string]bool{
	"table": true, "view": true, "index": true, "unique": true, "fulltext": true, "spatial": true,
	"database": true, "schema": true, "user": true, "role": true, "server": true, "tablespace": true,
	"sequence": true, "temporary": true, "logfile": true, "resource": true, "synonym": true,
}

// word feeds the next word (letters, digits, _ and $) of the statement.
func (c *compound) word(w string) {
	w = strings.ToLower(w)
	c.words++
	if !c.decided {
		switch {
		case c.words == 1:
			c.first = w
			c.decided = w != "create" && w != "begin"
		case c.first == "begin":
			// BEGIN NOT ATOMIC is a block; BEGIN and BEGIN WORK start a transaction.
			c.program, c.decided = w == "not", true
			if c.program {
				c.depth = 1
			}
			return
		case w == "trigger" || w == "procedure" || w == "function" || w == "event":
			c.program, c.decided = true, true
			return
		case programStoppers[w] || c.words > 12:
			c.decided = true
		}
		return
	}
	if !c.program {
		return
	}
	if c.pendingEnd {
		c.pendingEnd = false
		switch w {
		case "if", "loop", "while", "repeat":
			return
		case "case":
			c.depth--
			return
		}
		c.depth--
	}
	switch w {
	case "begin", "case":
		c.depth++
	case "end":
		c.pendingEnd = true
	}
}

// open reports whether a ";" here is inside a block, so does not end the statement.
func (c *compound) open() bool {
	depth := c.depth
	if c.pendingEnd {
		depth-- // "END;" closes the block the END belongs to
	}
	return c.program && depth > 0
}

// semicolon is told that a ";" inside the statement was passed over.
func (c *compound) semicolon() {
	if c.pendingEnd {
		c.pendingEnd = false
		c.depth--
	}
}

func isWordByte(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z'
}

func isWordStart(c byte) bool {
	return c == '_' || c|0x20 >= 'a' && c|0x20 <= 'z'
}
