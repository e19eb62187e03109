package copier

import (
	"errors"
	"strings"
	"testing"
)

func TestSplitAlter(t *testing.T) {
	tests := []struct {
		text, clauses, table, schema string
		head, ignore                 bool
		err                          string
	}{
		{text: "ADD COLUMN c INT", clauses: "ADD COLUMN c INT"},
		{text: "  add column c int ;  -- done\n", clauses: "add column c int"},
		{text: "ALTER TABLE t ADD COLUMN c INT;", head: true, table: "t", clauses: "ADD COLUMN c INT"},
		{text: "alter /* x */ table `we``ird` add c int", head: true, table: "we`ird", clauses: "add c int"},
		{text: "ALTER TABLE db . t ADD c INT", head: true, schema: "db", table: "t", clauses: "ADD c INT"},
		{text: "ALTER IGNORE TABLE t ADD UNIQUE (c)", head: true, ignore: true, table: "t", clauses: "ADD UNIQUE (c)"},
		{text: "ALTER ONLINE TABLE t FORCE", head: true, table: "t", clauses: "FORCE"},
		{text: "ALTER TABLE t ADD c VARCHAR(3) DEFAULT ';'", head: true, table: "t", clauses: "ADD c VARCHAR(3) DEFAULT ';'"},
		{text: "ALTER TABLE t ADD c INT; DROP TABLE x", err: "more than one statement"},
		{text: "ALTER TABLE t ADD c VARCHAR(3) DEFAULT 'x", err: "unterminated"},
		{text: "ALTER VIEW v AS SELECT 1", err: "not an ALTER TABLE"},
		{text: "ALTER TABLE /*!50100 t */ ADD c INT", err: "executable comments"},
		{text: "ALTER TABLE", err: "no table name"},
		{text: "ALTER TABLE IF EXISTS t ADD c INT", head: true, table: "t", clauses: "ADD c INT"},
		{text: "alter table if  exists db.t add c int", head: true, schema: "db", table: "t", clauses: "add c int"},
		{text: "ALTER TABLE `if` ADD c INT", head: true, table: "if", clauses: "ADD c INT"},
		{text: "ALTER TABLE IF t ADD c INT", err: "IF without EXISTS"},
		{text: "ALTER TABLE t ADD c INT /* open", head: true, table: "t", clauses: "ADD c INT /* open"},
		{text: "ALTER TABLE db.t /* x */ ADD c INT", head: true, schema: "db", table: "t", clauses: "/* x */ ADD c INT"},
		{text: "ALTER TABLE t ADD c INT; 'open", err: "more than one statement"},
		{text: "ALTER TABLE t ADD c INT; /* open", head: true, table: "t", clauses: "ADD c INT"},
	}
	for _, tt := range tests {
		head, clauses, err := splitAlter(tt.text)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("splitAlter(%q): error %v, want %q", tt.text, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("splitAlter(%q): %v", tt.text, err)
			continue
		}
		if clauses != tt.clauses || (head != nil) != tt.head {
			t.Errorf("splitAlter(%q) = %v, %q; want head %v, %q", tt.text, head, clauses, tt.head, tt.clauses)
			continue
		}
		if head != nil && (head.table != tt.table || head.schema != tt.schema || head.ignore != tt.ignore) {
			t.Errorf("splitAlter(%q) head = %+v", tt.text, head)
		}
	}
}

func TestParseAlter(t *testing.T) {
	key := &chunkKey{index: "PRIMARY", columns: []column{{Name: "id", DataType: "int"}}}
	strKey := &chunkKey{index: "uk", columns: []column{{Name: "code", DataType: "varchar", Charset: "utf8mb4"}}}
	tests := []struct {
		alter   string
		renames map[string]string
		key     *chunkKey
		refuse  string // part of the refusal's reason; "" when accepted
	}{
		{alter: "ADD COLUMN c INT, ADD INDEX (c)"},
		{alter: "ALTER TABLE t MODIFY b VARCHAR(200) NOT NULL, ALGORITHM=INPLACE, LOCK=NONE"},
		{alter: "MODIFY id BIGINT NOT NULL AUTO_INCREMENT"},
		{alter: "CONVERT TO CHARACTER SET utf8mb4"},
		{alter: "DROP COLUMN b, ADD COLUMN b INT"},
		{alter: "RENAME COLUMN b TO c", refuse: "renames column b to c"},
		{alter: "CHANGE COLUMN b c INT", refuse: "renames column b to c"},
		{alter: "CHANGE COLUMN b c INT", renames: map[string]string{"C": "B"}},
		{alter: "RENAME COLUMN b TO c", renames: map[string]string{"c": "x"}, refuse: "renames column b to c"},
		{alter: "CHANGE COLUMN b b BIGINT"},
		{alter: "ALTER TABLE other ADD c INT", refuse: "is on other"},
		{alter: "ALTER TABLE db.t ADD c INT", refuse: "is on db.t"},
		{alter: "RENAME TO u", refuse: "RENAME TO"},
		{alter: "ALTER TABLE t RENAME TO u", refuse: "RENAME TO"},
		{alter: "PARTITION BY HASH(id) PARTITIONS 4", refuse: "partition"},
		{alter: "ADD COLUMN c INT, DROP PARTITION p1", refuse: "partition"},
		{alter: "ALTER IGNORE TABLE t ADD UNIQUE (b)", refuse: "IGNORE"},
		{alter: "ADD COLUMN", refuse: "cannot parse"},
		{alter: "CREATE INDEX i ON t (b)", refuse: "cannot parse"},
		{alter: "", refuse: "changes nothing"},
		{alter: "ALTER TABLE t", refuse: "changes nothing"},
		// What an ALTER does to a key's definition is judged on the shadow (chooseKey,
		// TestRunKeyCases, TestRunPreflightRefusals); only dropped and renamed columns are
		// passed over before anything is created.
		{alter: "DROP PRIMARY KEY, ADD PRIMARY KEY (id, b)"},
		{alter: "DROP COLUMN id", refuse: "drops column id"},
		{alter: "MODIFY id VARCHAR(20) NOT NULL"},
		{alter: "CHANGE id ident INT", renames: map[string]string{"ident": "id"}, refuse: "renames column id"},
		{alter: "DROP INDEX uk", key: strKey},
		{alter: "CONVERT TO CHARACTER SET latin1", key: strKey},
		{alter: "MODIFY code VARCHAR(100) NOT NULL", key: strKey},
	}
	for _, tt := range tests {
		k := tt.key
		if k == nil {
			k = key
		}
		p, err := parseAlter("t", tt.alter, tt.renames)
		if err == nil {
			err = p.checkKey(k)
		}
		if tt.refuse == "" {
			if err != nil {
				t.Errorf("parseAlter(%q): %v", tt.alter, err)
			}
			continue
		}
		var ref *Refusal
		if !errors.As(err, &ref) || !strings.Contains(ref.Reason, tt.refuse) {
			t.Errorf("parseAlter(%q): %v, want a refusal with %q", tt.alter, err, tt.refuse)
		}
	}
}

func TestParseAlterKeepsClauses(t *testing.T) {
	p, err := parseAlter("t", "ALTER TABLE `t` ADD COLUMN c INT -- trailing\n, ALGORITHM=INSTANT", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !p.namesAlgorithm || p.clauses != "ADD COLUMN c INT -- trailing\n, ALGORITHM=INSTANT" {
		t.Errorf("plan = %+v", p)
	}
	p, err = parseAlter("t", "DROP COLUMN b, ADD COLUMN b INT, ADD COLUMN x INT", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !p.dropped["b"] || !p.added["b"] || !p.added["x"] {
		t.Errorf("plan = %+v", p)
	}
}

func FuzzParseAlter(f *testing.F) {
	for _, s := range []string{"ADD COLUMN c INT", "ALTER TABLE t MODIFY b TEXT;", "ALTER IGNORE TABLE `t` FORCE",
		"CHANGE a b INT, ALGORITHM=COPY", "ADD c VARCHAR(3) DEFAULT ';' -- x", "/* c */ ALTER TABLE t.t DROP x"} {
		f.Add(s)
	}
	key := &chunkKey{index: "PRIMARY", columns: []column{{Name: "id", DataType: "int"}}}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parseAlter("t", s, map[string]string{"b": "a"})
		if err != nil {
			var ref *Refusal
			if !errors.As(err, &ref) || ref.Reason == "" {
				t.Fatalf("parseAlter(%q): %v is not a refusal", s, err)
			}
			return
		}
		_ = p.checkKey(key)
		if strings.TrimSpace(p.clauses) == "" {
			t.Fatalf("parseAlter(%q): accepted without clauses", s)
		}
	})
}
