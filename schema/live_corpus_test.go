package schema_test

import "github.com/schema-guard/schema-guard/schema"

// diffCase is a pair of states. TestLiveReconcile loads each into its own database, checks that
// Diff(A, B) finds exactly want, that its script turns A into B and Diff(B, A)'s script B into A,
// and that both states survive a render round trip.
type diffCase struct {
	name   string
	a, b   []string
	hints  map[string]string
	flavor func(*schema.Schema) // pretend another server version (same syntax family)
	want   []string             // A→B changes as "kind change object"; nil: not checked
	// mysql replaces a, b and want (those it sets) on MySQL, where the syntax or the server's
	// own names differ: MySQL's INVISIBLE index is MariaDB's IGNORED one, MySQL names unnamed
	// checks <table>_chk_<n> where MariaDB names column-level ones after the column.
	mysql *diffCase
}

// on returns the case as it runs on a server of flavour f.
func (c diffCase) on(f schema.Flavor) diffCase {
	if !f.IsMySQL() || c.mysql == nil {
		return c
	}
	if c.mysql.a != nil {
		c.a = c.mysql.a
	}
	if c.mysql.b != nil {
		c.b = c.mysql.b
	}
	if c.mysql.want != nil {
		c.want = c.mysql.want
	}
	return c
}

// oldMariaDB pretends the server predates RENAME COLUMN (10.5.2), to exercise CHANGE COLUMN.
func oldMariaDB(s *schema.Schema) {
	s.Flavor = schema.Flavor{Kind: schema.MariaDB, Major: 10, Minor: 4, Patch: 30, Version: "10.4.30-MariaDB"}
}

// corpus is every case TestLiveReconcile runs.
var corpus = append(tableCases, objectCases...)

// tableCases are differences inside tables.
var tableCases = []diffCase{
	{
		name: "columns added dropped changed",
		a:    []string{"CREATE TABLE t (id INT PRIMARY KEY, a INT, b VARCHAR(10), gone DATE)"},
		b:    []string{"CREATE TABLE t (id INT PRIMARY KEY, a BIGINT UNSIGNED NOT NULL DEFAULT 5, b VARCHAR(20), c TEXT)"},
		want: []string{"column different t.a", "column different t.b", "column extra t.gone", "column missing t.c"},
	},
	{
		name: "column attributes",
		a: []string{`CREATE TABLE t (
			id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
			n INT NULL,
			d VARCHAR(10) DEFAULT 'x',
			ts TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP,
			cs VARCHAR(10) CHARACTER SET latin1,
			co VARCHAR(10) COLLATE utf8mb4_bin,
			cm INT COMMENT 'old',
			inv INT,
			e ENUM('a','b') DEFAULT 'a',
			dt DATETIME(3) DEFAULT CURRENT_TIMESTAMP(3)
		)`},
		b: []string{`CREATE TABLE t (
			id INT NOT NULL PRIMARY KEY,
			n INT NOT NULL,
			d VARCHAR(10) DEFAULT 'it''s',
			ts TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
			cs VARCHAR(10) CHARACTER SET utf8mb4,
			co VARCHAR(10) COLLATE utf8mb4_unicode_ci,
			cm INT COMMENT 'new \\ comment',
			inv INT INVISIBLE,
			e ENUM('a','b','C') DEFAULT 'C',
			dt DATETIME(3) DEFAULT (CURRENT_TIMESTAMP(3) + INTERVAL 1 DAY)
		)`},
		want: []string{"column different t.id", "column different t.n", "column different t.d", "column different t.ts",
			"column different t.cs", "column different t.co", "column different t.cm", "column different t.inv",
			"column different t.e", "column different t.dt"},
	},
	{
		name: "column order rotated and swapped",
		a:    []string{"CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, c INT, d INT, e INT)"},
		b:    []string{"CREATE TABLE t (e INT, id INT PRIMARY KEY, c INT, a INT, n INT, b INT, d INT)"},
		want: []string{"column different t.e", "column different t.c", "column missing t.n"},
	},
	{
		name: "column order reversed with changes",
		a:    []string{"CREATE TABLE t (a INT, b INT, c VARCHAR(5), d INT, e INT, x INT)"},
		b:    []string{"CREATE TABLE t (e INT, d BIGINT, y INT, c VARCHAR(9), b INT, a INT)"},
		// Only one column can stay in place; the others move (the last one, a, stays).
		want: []string{"column different t.e", "column different t.b", "column different t.c", "column different t.d",
			"column extra t.x", "column missing t.y"},
	},
	{
		name: "generated and invisible columns",
		a: []string{`CREATE TABLE t (
			id INT PRIMARY KEY,
			a INT,
			g1 INT AS (a + 1) VIRTUAL,
			g2 INT AS (a * 2) VIRTUAL,
			g3 INT AS (a * 3) STORED,
			g4 INT AS (a * 4) STORED,
			g5 INT AS (a * 5) STORED,
			plain INT,
			KEY idx_g2 (g2),
			KEY idx_g2a (a, g2)
		)`},
		b: []string{`CREATE TABLE t (
			id INT PRIMARY KEY,
			a INT,
			g1 INT AS (a + 10) VIRTUAL,
			g2 INT AS (a * 2) STORED,
			g3 INT AS (a * 3) VIRTUAL INVISIBLE,
			g4 INT,
			g5 INT AS (a * 6) STORED,
			plain INT AS (a - 1) VIRTUAL,
			KEY idx_g2 (g2),
			KEY idx_g2a (a, g2)
		)`},
		want: []string{"column different t.g1", "column different t.g2", "column different t.g3", "column different t.g4",
			"column different t.g5", "column different t.plain"},
	},
	{
		name: "indexes",
		a: []string{`CREATE TABLE t (
			id INT NOT NULL, a INT NOT NULL, b VARCHAR(50), c INT, txt TEXT, bl BLOB,
			PRIMARY KEY (id),
			KEY k_cols (a, b),
			KEY k_prefix (b(10)),
			KEY k_desc (a, c),
			UNIQUE KEY u_a (a),
			KEY k_visible (c),
			KEY k_comment (b) COMMENT 'one',
			KEY k_gone (c, a),
			FULLTEXT KEY ft (txt)
		)`, "CREATE TABLE m (id INT NOT NULL, a INT, KEY k_type (a) USING HASH, KEY k_keep (id)) ENGINE=MEMORY"},
		b: []string{`CREATE TABLE t (
			id INT NOT NULL, a INT NOT NULL, b VARCHAR(50), c INT, txt TEXT, bl BLOB,
			PRIMARY KEY (id, a),
			KEY k_cols (b, a),
			KEY k_prefix (b(20)),
			KEY k_desc (a DESC, c),
			KEY u_a (a),
			KEY k_visible (c) IGNORED,
			KEY k_comment (b) COMMENT 'two',
			KEY k_new (txt(5), c DESC),
			UNIQUE KEY u_blob (bl),
			FULLTEXT KEY ft (txt, b)
		)`, "CREATE TABLE m (id INT NOT NULL, a INT, KEY k_type (a) USING BTREE, KEY k_keep (id)) ENGINE=MEMORY"},
		want: []string{"index different t.PRIMARY", "index different t.k_cols", "index different t.k_prefix",
			"index different t.k_desc", "index different t.u_a", "index different t.k_visible", "index different t.k_comment",
			"index extra t.k_gone", "index missing t.k_new", "index missing t.u_blob", "index different t.ft",
			"index different m.k_type"},
		// MySQL: INVISIBLE, a prefix for the unique BLOB key, and a functional key part.
		mysql: &diffCase{
			a: []string{`CREATE TABLE t (
			id INT NOT NULL, a INT NOT NULL, b VARCHAR(50), c INT, txt TEXT, bl BLOB,
			PRIMARY KEY (id),
			KEY k_cols (a, b),
			KEY k_prefix (b(10)),
			KEY k_desc (a, c),
			UNIQUE KEY u_a (a),
			KEY k_visible (c),
			KEY k_comment (b) COMMENT 'one',
			KEY k_gone (c, a),
			KEY k_func ((a + 1), b),
			FULLTEXT KEY ft (txt)
		)`, "CREATE TABLE m (id INT NOT NULL, a INT, KEY k_type (a) USING HASH, KEY k_keep (id)) ENGINE=MEMORY"},
			b: []string{`CREATE TABLE t (
			id INT NOT NULL, a INT NOT NULL, b VARCHAR(50), c INT, txt TEXT, bl BLOB,
			PRIMARY KEY (id, a),
			KEY k_cols (b, a),
			KEY k_prefix (b(20)),
			KEY k_desc (a DESC, c),
			KEY u_a (a),
			KEY k_visible (c) INVISIBLE,
			KEY k_comment (b) COMMENT 'two',
			KEY k_new (txt(5), c DESC),
			KEY k_func ((a * 2), b),
			UNIQUE KEY u_blob (bl(10)),
			FULLTEXT KEY ft (txt, b)
		)`, "CREATE TABLE m (id INT NOT NULL, a INT, KEY k_type (a) USING BTREE, KEY k_keep (id)) ENGINE=MEMORY"},
			want: []string{"index different t.PRIMARY", "index different t.k_cols", "index different t.k_prefix",
				"index different t.k_desc", "index different t.u_a", "index different t.k_visible", "index different t.k_comment",
				"index extra t.k_gone", "index missing t.k_new", "index missing t.u_blob", "index different t.ft",
				"index different m.k_type", "index different t.k_func"},
		},
	},
	{
		name: "unnamed indexes whose generated names collide",
		a:    []string{"CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, KEY (a, b))"},
		b:    []string{"CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, KEY (a), KEY (a, b))"},
		want: []string{"index missing t.a"},
	},
	{
		name: "foreign keys",
		a: []string{
			"CREATE TABLE p (id INT PRIMARY KEY, code CHAR(3) NOT NULL, alt INT, UNIQUE KEY (code), UNIQUE KEY (alt))",
			`CREATE TABLE c (id INT PRIMARY KEY, pid INT, pcode CHAR(3), other INT, r INT,
				CONSTRAINT fk_act FOREIGN KEY (pid) REFERENCES p (id) ON DELETE CASCADE,
				CONSTRAINT fk_cols FOREIGN KEY (other) REFERENCES p (id),
				CONSTRAINT fk_refcol FOREIGN KEY (r) REFERENCES p (id),
				CONSTRAINT fk_gone FOREIGN KEY (pcode) REFERENCES p (code))`,
		},
		b: []string{
			"CREATE TABLE p (id INT PRIMARY KEY, code CHAR(3) NOT NULL, alt INT, UNIQUE KEY (code), UNIQUE KEY (alt))",
			`CREATE TABLE c (id INT PRIMARY KEY, pid INT, pcode CHAR(3), other INT, r INT,
				KEY fk_gone (pcode),
				CONSTRAINT fk_act FOREIGN KEY (pid) REFERENCES p (id) ON DELETE SET NULL ON UPDATE CASCADE,
				CONSTRAINT fk_cols FOREIGN KEY (other) REFERENCES c (id),
				CONSTRAINT fk_refcol FOREIGN KEY (r) REFERENCES p (alt),
				CONSTRAINT fk_new FOREIGN KEY (pcode) REFERENCES p (code) ON UPDATE CASCADE)`,
		},
		want: []string{"foreign_key different c.fk_act", "foreign_key different c.fk_cols", "foreign_key extra c.fk_gone",
			"foreign_key different c.fk_refcol",
			"foreign_key missing c.fk_new"},
	},
	{
		name: "foreign key cycle between new tables",
		a:    []string{"CREATE TABLE base (id INT PRIMARY KEY)"},
		b: []string{
			"CREATE TABLE base (id INT PRIMARY KEY)",
			"CREATE TABLE x (id INT PRIMARY KEY, y_id INT, base_id INT, FOREIGN KEY (base_id) REFERENCES base (id))",
			"CREATE TABLE y (id INT PRIMARY KEY, x_id INT, CONSTRAINT y_x FOREIGN KEY (x_id) REFERENCES x (id))",
			"ALTER TABLE x ADD CONSTRAINT x_y FOREIGN KEY (y_id) REFERENCES y (id)",
			"CREATE TABLE selfref (id INT PRIMARY KEY, parent INT, FOREIGN KEY (parent) REFERENCES selfref (id))",
		},
		want: []string{"table missing x", "table missing y", "table missing selfref"},
	},
	{
		name: "table dropped that others reference",
		a: []string{
			"CREATE TABLE p (id INT PRIMARY KEY)",
			"CREATE TABLE c (id INT PRIMARY KEY, pid INT, CONSTRAINT fk_p FOREIGN KEY (pid) REFERENCES p (id))",
			"CREATE TABLE e1 (id INT PRIMARY KEY, e2 INT)",
			"CREATE TABLE e2 (id INT PRIMARY KEY, e1 INT, FOREIGN KEY (e1) REFERENCES e1 (id))",
			"ALTER TABLE e1 ADD FOREIGN KEY (e2) REFERENCES e2 (id)",
		},
		b: []string{
			"CREATE TABLE c (id INT PRIMARY KEY, pid INT, KEY fk_p (pid))",
		},
		want: []string{"table extra p", "table extra e1", "table extra e2", "foreign_key extra c.fk_p"},
	},
	{
		name: "foreign key columns change type on both ends",
		a: []string{
			"CREATE TABLE p (id INT NOT NULL PRIMARY KEY, code VARCHAR(10), UNIQUE KEY (code))",
			`CREATE TABLE c (id INT PRIMARY KEY, pid INT, pcode VARCHAR(10),
				CONSTRAINT fk_id FOREIGN KEY (pid) REFERENCES p (id),
				CONSTRAINT fk_code FOREIGN KEY (pcode) REFERENCES p (code))`,
			"CREATE TABLE gone (id INT PRIMARY KEY, pid INT, FOREIGN KEY (pid) REFERENCES p (id))",
		},
		b: []string{
			"CREATE TABLE p (id BIGINT NOT NULL PRIMARY KEY, code VARCHAR(20), UNIQUE KEY (code))",
			`CREATE TABLE c (id INT PRIMARY KEY, pid BIGINT, pcode VARCHAR(10),
				CONSTRAINT fk_id FOREIGN KEY (pid) REFERENCES p (id),
				CONSTRAINT fk_code FOREIGN KEY (pcode) REFERENCES p (code))`,
		},
		want: []string{"column different p.id", "column different p.code", "column different c.pid", "table extra gone"},
	},
	{
		name: "foreign key index replaced by a wider one",
		a: []string{
			"CREATE TABLE p (id INT PRIMARY KEY)",
			"CREATE TABLE c (id INT PRIMARY KEY, pid INT, x INT, CONSTRAINT fk FOREIGN KEY (pid) REFERENCES p (id))",
		},
		b: []string{
			"CREATE TABLE p (id INT PRIMARY KEY)",
			"CREATE TABLE c (id INT PRIMARY KEY, pid INT, x INT, KEY idx_px (pid, x), CONSTRAINT fk FOREIGN KEY (pid) REFERENCES p (id))",
		},
		want: []string{"index extra c.fk", "index missing c.idx_px"},
	},
	{
		name: "checks",
		a: []string{`CREATE TABLE t (
			id INT PRIMARY KEY,
			a INT CHECK (a > 0),
			b INT,
			j JSON,
			k INT CHECK (k < 5),
			CONSTRAINT chk_b CHECK (b < 100),
			CONSTRAINT chk_gone CHECK (a <> b),
			CHECK (a + b > 0)
		)`},
		b: []string{`CREATE TABLE t (
			id INT PRIMARY KEY,
			a INT CHECK (a > 1),
			b INT CHECK (b IS NOT NULL),
			j LONGTEXT,
			k INT,
			CONSTRAINT chk_b CHECK (b < 1000),
			CONSTRAINT chk_new CHECK (a < 1000000),
			CHECK (a + b > 0)
		)`},
		want: []string{"check different t.a", "check missing t.b", "column different t.j", "check extra t.j", "check extra t.k",
			"check different t.chk_b", "check extra t.chk_gone", "check missing t.chk_new"},
		// MySQL numbers unnamed checks in order (t_chk_1 is a's in both states, t_chk_2 k's in A and
		// b's in B, t_chk_3 the table's), and JSON is a type of its own, without a check.
		mysql: &diffCase{want: []string{"check different t.t_chk_1", "check different t.t_chk_2", "column different t.j",
			"check different t.chk_b", "check extra t.chk_gone", "check missing t.chk_new"}},
	},
	{
		name: "checks change level",
		a: []string{`CREATE TABLE t (
			id INT PRIMARY KEY,
			a INT CHECK (a > 0),
			b INT,
			c INT CHECK (c > 0),
			d INT CHECK (d > 0),
			CHECK (b > 0)
		)`},
		b: []string{`CREATE TABLE t (
			id INT PRIMARY KEY,
			a INT,
			b INT CHECK (b > 5),
			c BIGINT CHECK (c > 0),
			d INT COMMENT 'kept check' CHECK (d > 0),
			CONSTRAINT chk_a CHECK (a > 1)
		)`},
		want: []string{"check extra t.a", "check missing t.chk_a", "check extra t.CONSTRAINT_1", "check missing t.b",
			"column different t.c", "column different t.d"},
		// MySQL: t_chk_1 is a's check in A and b's in B; t_chk_4 (b > 0) goes.
		mysql: &diffCase{want: []string{"check different t.t_chk_1", "check extra t.t_chk_4", "check missing t.chk_a",
			"column different t.c", "column different t.d"}},
	},
	{
		name: "table options",
		a: []string{
			"CREATE TABLE o1 (id INT PRIMARY KEY, s VARCHAR(10)) ENGINE=InnoDB DEFAULT CHARSET=latin1 COMMENT='old'",
			"CREATE TABLE o2 (id INT PRIMARY KEY) ROW_FORMAT=COMPACT STATS_PERSISTENT=0",
			"CREATE TABLE o3 (id INT PRIMARY KEY) ENGINE=InnoDB",
			"CREATE TABLE o4 (id INT PRIMARY KEY, s VARCHAR(10)) COLLATE utf8mb4_general_ci",
		},
		b: []string{
			"CREATE TABLE o1 (id INT PRIMARY KEY, s VARCHAR(10)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='new ''quoted'''",
			"CREATE TABLE o2 (id INT PRIMARY KEY) STATS_AUTO_RECALC=1 MAX_ROWS=1000",
			"CREATE TABLE o3 (id INT PRIMARY KEY) ENGINE=Aria ROW_FORMAT=PAGE TRANSACTIONAL=1",
			"CREATE TABLE o4 (id INT PRIMARY KEY, s VARCHAR(10) COLLATE utf8mb4_general_ci) COLLATE utf8mb4_unicode_ci",
		},
		want: []string{"table_options different o1", "column different o1.s", "table_options different o2",
			"table_options different o3", "table_options different o4"},
		// MySQL has no Aria: MyISAM with a fixed row format and a checksum instead.
		mysql: &diffCase{b: []string{
			"CREATE TABLE o1 (id INT PRIMARY KEY, s VARCHAR(10)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='new ''quoted'''",
			"CREATE TABLE o2 (id INT PRIMARY KEY) STATS_AUTO_RECALC=1 MAX_ROWS=1000",
			"CREATE TABLE o3 (id INT PRIMARY KEY) ENGINE=MyISAM ROW_FORMAT=FIXED CHECKSUM=1",
			"CREATE TABLE o4 (id INT PRIMARY KEY, s VARCHAR(10) COLLATE utf8mb4_general_ci) COLLATE utf8mb4_unicode_ci",
		}},
	},
	{
		name: "every column type family",
		a: []string{`CREATE TABLE k (
			id BIGINT NOT NULL AUTO_INCREMENT,
			t_tiny TINYINT(1) NOT NULL DEFAULT 1,
			t_small SMALLINT UNSIGNED ZEROFILL DEFAULT NULL,
			t_dec DECIMAL(10,2) NOT NULL DEFAULT 1.5,
			t_float FLOAT DEFAULT 0.5,
			t_bit BIT(3) DEFAULT b'101',
			t_char CHAR(10) CHARACTER SET latin1 COLLATE latin1_bin DEFAULT '',
			t_vc VARCHAR(100) NOT NULL DEFAULT 'it''s a \\ "test"',
			t_vc_nl VARCHAR(20) DEFAULT 'a\nb',
			t_text TEXT,
			t_text_def TEXT DEFAULT ('x'),
			t_bin BINARY(4) DEFAULT 'ab',
			t_varbin VARBINARY(8) NOT NULL,
			t_enum ENUM('a','B''c','d e') NOT NULL DEFAULT 'B''c',
			t_set SET('x','y','z') DEFAULT 'x,z',
			t_date DATE DEFAULT '2020-01-01',
			t_time TIME(3) DEFAULT '12:34:56.789',
			t_dt DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
			t_ts TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
			t_year YEAR DEFAULT 2024,
			t_json JSON,
			t_geo POINT NOT NULL,
			t_expr INT DEFAULT (1 + 2),
			t_uuid CHAR(36) DEFAULT (uuid()),
			t_inv INT INVISIBLE DEFAULT 7 COMMENT 'hidden column',
			t_comment INT NOT NULL COMMENT 'it''s \\ commented',
			PRIMARY KEY (id),
			SPATIAL KEY sp_geo (t_geo),
			FULLTEXT KEY ft_text (t_text)
		) ENGINE=InnoDB AUTO_INCREMENT=100 COMMENT='kitchen''s \\ sink'`},
		b: []string{`CREATE TABLE k (
			id BIGINT NOT NULL AUTO_INCREMENT,
			t_tiny TINYINT(1) NOT NULL DEFAULT 0,
			t_small SMALLINT UNSIGNED DEFAULT NULL,
			t_dec DECIMAL(12,2) NOT NULL DEFAULT 1.5,
			t_float DOUBLE DEFAULT 0.5,
			t_bit BIT(4) DEFAULT b'1',
			t_char CHAR(10) CHARACTER SET latin1 COLLATE latin1_bin DEFAULT 'x',
			t_vc VARCHAR(100) NOT NULL DEFAULT 'other \\ ''value''',
			t_vc_nl VARCHAR(20) DEFAULT 'a\r\nb',
			t_text MEDIUMTEXT,
			t_text_def TEXT DEFAULT ('y'),
			t_bin BINARY(4) DEFAULT 'cd',
			t_varbin VARBINARY(16) NOT NULL,
			t_enum ENUM('a','B''c','d e','f') NOT NULL DEFAULT 'a',
			t_set SET('x','y') DEFAULT 'y',
			t_date DATE DEFAULT (CURRENT_DATE),
			t_time TIME(6) DEFAULT '12:34:56.789',
			t_dt DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
			t_ts TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
			t_year YEAR DEFAULT 2025,
			t_json JSON NOT NULL DEFAULT ('{}'),
			t_geo POINT NOT NULL,
			t_expr INT DEFAULT (2 * 3),
			t_uuid CHAR(36) DEFAULT (uuid()) COMMENT 'uuid',
			t_inv INT DEFAULT 7 COMMENT 'visible column',
			t_comment INT NOT NULL COMMENT 'it''s \\ commented',
			t_new_chk INT CHECK (t_new_chk BETWEEN 1 AND 9),
			PRIMARY KEY (id),
			SPATIAL KEY sp_geo (t_geo),
			FULLTEXT KEY ft_text (t_text)
		) ENGINE=InnoDB COMMENT='kitchen sink'`},
	},
	{
		name: "dropped columns take their indexes and checks along",
		a: []string{`CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, c INT,
			KEY k_a (a), KEY k_ab (a, b), KEY k_bc (b, c),
			CONSTRAINT chk_a CHECK (a > 0), CONSTRAINT chk_bc CHECK (b < c))`},
		b: []string{`CREATE TABLE t (id INT PRIMARY KEY, b INT, c INT, d INT NOT NULL DEFAULT 0,
			KEY k_bc (b, c), KEY k_d (d),
			CONSTRAINT chk_bc CHECK (b < c), CONSTRAINT chk_d CHECK (d >= 0))`},
		want: []string{"column extra t.a", "column missing t.d", "index extra t.k_a", "index extra t.k_ab",
			"index missing t.k_d", "check extra t.chk_a", "check missing t.chk_d"},
	},
	{
		name: "auto_increment primary key added to a table without one",
		a:    []string{"CREATE TABLE t (a INT, b VARCHAR(10))"},
		b:    []string{"CREATE TABLE t (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, a INT, b VARCHAR(10))"},
		want: []string{"column missing t.id", "index missing t.PRIMARY"},
	},
	{
		name: "new column in a table with another character set",
		a:    []string{"CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(10)) DEFAULT CHARSET=latin1"},
		b: []string{"CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(10), b VARCHAR(10), c VARCHAR(10) CHARACTER SET utf8mb4, " +
			"d VARCHAR(10) COLLATE latin1_bin) DEFAULT CHARSET=latin1"},
		want: []string{"column missing t.b", "column missing t.c", "column missing t.d"},
	},
}
