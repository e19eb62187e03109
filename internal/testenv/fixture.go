package testenv

import (
	"strings"
)

// introspectFixture is the DDL the introspection and probe tests replay (Fixture): every column type family, defaults
// of every kind, every index and constraint kind, table options, a partitioned table, views,
// triggers and routines. One statement per element: the driver runs no multi-statement strings.
var introspectFixture = []string{
	`CREATE TABLE parent (
	  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
	  code CHAR(3) NOT NULL,
	  region SMALLINT NOT NULL DEFAULT 0,
	  PRIMARY KEY (id),
	  UNIQUE KEY uq_code_region (code, region)
	) ENGINE=InnoDB AUTO_INCREMENT=100 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
	  ROW_FORMAT=DYNAMIC STATS_PERSISTENT=0 COMMENT='parent''s table \\ with backslash'`,

	`CREATE TABLE kitchen (
	  id BIGINT NOT NULL AUTO_INCREMENT,
	  t_tiny TINYINT(1) NOT NULL DEFAULT 1,
	  t_small SMALLINT UNSIGNED ZEROFILL DEFAULT NULL,
	  t_med MEDIUMINT DEFAULT -5,
	  t_int INT NULL,
	  t_dec DECIMAL(10,2) NOT NULL DEFAULT 1.5,
	  t_float FLOAT DEFAULT 0.5,
	  t_double DOUBLE NOT NULL DEFAULT 0,
	  t_bit BIT(3) DEFAULT b'101',
	  t_char CHAR(10) CHARACTER SET latin1 COLLATE latin1_bin DEFAULT '',
	  t_vc VARCHAR(100) NOT NULL DEFAULT 'it''s a \\ "test"',
	  t_vc_null VARCHAR(20) DEFAULT NULL,
	  t_vc_nulltext VARCHAR(20) DEFAULT 'NULL',
	  t_vc_nl VARCHAR(20) DEFAULT 'a\nb',
	  t_text TEXT,
	  t_text_def TEXT DEFAULT ('x'),
	  t_blob BLOB,
	  t_bin BINARY(4) DEFAULT 'ab',
	  t_varbin VARBINARY(8) NOT NULL,
	  t_enum ENUM('a','B''c','d e') NOT NULL DEFAULT 'B''c',
	  t_set SET('x','y','z') DEFAULT 'x,z',
	  t_date DATE DEFAULT '2020-01-01',
	  t_time TIME(3) DEFAULT '12:34:56.789',
	  t_dt DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
	  t_ts TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
	  t_ts2 TIMESTAMP NOT NULL DEFAULT '2000-01-01 00:00:00',
	  t_year YEAR DEFAULT 2024,
	  t_json JSON,
	  t_geo POINT NOT NULL,
	  t_expr INT DEFAULT (1 + 2),
	  t_uuid CHAR(36) DEFAULT (uuid()),
	  t_virt INT AS (t_int * 2) VIRTUAL,
	  t_stored VARCHAR(50) AS (concat(t_vc, 'x')) STORED,
	  t_inv INT INVISIBLE DEFAULT 7 COMMENT 'hidden column',
	  t_comment INT NOT NULL COMMENT 'it''s \\ commented',
	  t_chk INT CHECK (t_chk > 0),
	  t_bs VARCHAR(20) AS (concat('a\\b', t_vc)) VIRTUAL,
	  PRIMARY KEY (id),
	  KEY idx_prefix (t_vc(10), t_int DESC),
	  KEY idx_ignored (t_med) COMMENT 'ignored index' IGNORED,
	  FULLTEXT KEY ft_text (t_text),
	  SPATIAL KEY sp_geo (t_geo),
	  UNIQUE KEY uq_dt (t_dt),
	  CONSTRAINT chk_tbl CHECK (t_int IS NULL OR t_int < 1000)
	) ENGINE=InnoDB`,

	`CREATE TABLE child (
	  id INT NOT NULL,
	  parent_id INT UNSIGNED,
	  p_code CHAR(3) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,
	  p_region SMALLINT,
	  self_id INT,
	  PRIMARY KEY (id),
	  CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE,
	  CONSTRAINT fk_multi FOREIGN KEY (p_code, p_region) REFERENCES parent (code, region)
	    ON DELETE SET NULL ON UPDATE CASCADE,
	  CONSTRAINT fk_self FOREIGN KEY (self_id) REFERENCES child (id)
	) ENGINE=InnoDB DEFAULT CHARSET=latin1`,

	`CREATE TABLE parted (
	  id INT NOT NULL,
	  created DATE NOT NULL,
	  PRIMARY KEY (id, created)
	) ENGINE=InnoDB
	PARTITION BY RANGE (YEAR(created)) (
	  PARTITION p2020 VALUES LESS THAN (2021),
	  PARTITION pmax VALUES LESS THAN MAXVALUE
	)`,

	"CREATE VIEW v_parent AS SELECT id, code FROM parent WHERE region > 0 WITH CASCADED CHECK OPTION",
	"CREATE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW v_merge AS SELECT id FROM parent WITH LOCAL CHECK OPTION",

	"CREATE TRIGGER trg_b BEFORE INSERT ON child FOR EACH ROW SET NEW.p_region = COALESCE(NEW.p_region, 0)",
	`CREATE TRIGGER trg_a BEFORE INSERT ON child FOR EACH ROW FOLLOWS trg_b BEGIN
	  SET NEW.self_id = NULL;
	END`,
	"CREATE TRIGGER trg_upd AFTER UPDATE ON child FOR EACH ROW SET @touched = 1",

	`CREATE PROCEDURE proc_x(IN p_id INT, OUT p_name VARCHAR(50), INOUT p_n DECIMAL(10,2))
	  READS SQL DATA SQL SECURITY INVOKER COMMENT 'proc comment'
	BEGIN
	  SELECT code INTO p_name FROM parent WHERE id = p_id;
	END`,
	`CREATE FUNCTION fn_y(a INT, b VARCHAR(10) CHARSET latin1) RETURNS VARCHAR(20) CHARSET utf8mb4
	  DETERMINISTIC NO SQL
	  RETURN CONCAT(a, b)`,
	"CREATE PROCEDURE proc_empty() SELECT 1",
}

// introspectFixtureFor is the fixture in the syntax of the server the test runs on.
// Fixture is the DDL of a database with every column type family, defaults of every kind, every
// index and constraint kind, table options, a partitioned table, views, triggers and routines,
// in the syntax of srv's flavour: the introspection tests read it back, the probe tests write
// every type's extremes into it.
func Fixture(srv Server) []string {
	if srv.MySQL() {
		return introspectFixtureMySQL()
	}
	return introspectFixture
}

// introspectFixtureMySQL is introspectFixture in MySQL's syntax, where it differs: an invisible
// index is INVISIBLE (MariaDB: IGNORED), and MySQL alone has functional key parts.
func introspectFixtureMySQL() []string {
	var out []string
	for _, st := range introspectFixture {
		st = strings.Replace(st, "KEY idx_ignored (t_med) COMMENT 'ignored index' IGNORED,",
			"KEY idx_ignored (t_med) COMMENT 'ignored index' INVISIBLE,\n\t  KEY idx_func ((t_int + 1), t_vc(5) DESC),", 1)
		out = append(out, st)
	}
	return out
}
