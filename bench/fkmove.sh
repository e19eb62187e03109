#!/usr/bin/env bash
# Measures the cut-over's foreign-key move (copier/parents.go) on child tables of 10,000 and
# 1,000,000 rows: the two metadata-only statements each child gets under foreign_key_checks = 0
#   ALTER TABLE c DROP FOREIGN KEY fk, ADD CONSTRAINT _fk … REFERENCES p2 …, ALGORITHM=INPLACE, LOCK=NONE
#   ALTER TABLE c DROP FOREIGN KEY _fk, ADD CONSTRAINT fk … REFERENCES p2 …, ALGORITHM=INPLACE, LOCK=NONE
# (their time, the rows they report touched, and whether MariaDB also takes ALGORITHM=INSTANT),
# the anti-join that follows, and for contrast the same move with checks on (ALGORITHM=COPY,
# which rebuilds the child). Medians of R rounds, per server.
#
#   bench/fkmove.sh [R]                   default 5 rounds; servers on 127.0.0.1:3306 3307 3308
#   SG_BENCH_PORTS="3306" bench/fkmove.sh  only some of them (the schema_guard test account)
set -euo pipefail
rounds=${1:-5}
ports=${SG_BENCH_PORTS:-3306 3307 3308}
db=schema_guard_benchfk_$$
sql() { mysql -h127.0.0.1 -P"$port" -uschema_guard -pschema_guard -N -B "$@" 2>&1 | { grep -v "Using a password" || true; }; }
# timed runs statements after SET foreign_key_checks = $1 and prints "seconds rows_affected" of the last.
timed() {
  local out
  out=$(sql -vvv "$db" -e "SET SESSION foreign_key_checks = $1; $2")
  if grep -q ERROR <<<"$out"; then echo "error: $(grep ERROR <<<"$out")" >&2; return 1; fi
  grep -E "^Query OK" <<<"$out" | tail -1 | sed -E 's/Query OK, ([0-9]+) rows? affected.*\(([0-9.]+) sec\).*/\2 \1/'
}
median() { sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }
cleanup() { for port in $ports; do sql -e "DROP DATABASE IF EXISTS $db" >/dev/null || true; done; }
trap cleanup EXIT

for port in $ports; do
  echo "== $(sql -e 'SELECT VERSION()') (127.0.0.1:$port)"
  sql -e "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db"
  sql "$db" -e "CREATE TABLE p (id INT PRIMARY KEY) ENGINE=InnoDB;
    CREATE TABLE d (i INT PRIMARY KEY); INSERT INTO d VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9);
    INSERT INTO p SELECT a.i + 10*b.i + 100*c.i + 1 FROM d a, d b, d c;
    CREATE TABLE p2 LIKE p; INSERT INTO p2 SELECT * FROM p"
  printf "%-10s %-26s %10s %14s\n" rows step "median s" "rows touched"
  for n in 10000 1000000; do
    sql "$db" -e "DROP TABLE IF EXISTS c;
      CREATE TABLE c (id INT AUTO_INCREMENT PRIMARY KEY, pid INT NULL, pad VARCHAR(100), KEY (pid),
        CONSTRAINT fk_c FOREIGN KEY (pid) REFERENCES p (id) ON DELETE CASCADE) ENGINE=InnoDB;
      INSERT INTO c (pid, pad) SELECT 1 + (a.i + 10*b.i + 100*c.i), REPEAT('x', 100)
        FROM d a, d b, d c, d e, d f, d g LIMIT $n; ANALYZE TABLE c" >/dev/null
    body="FOREIGN KEY (pid) REFERENCES p2 (id) ON DELETE CASCADE"
    one=() two=() anti=() touched=0
    for _ in $(seq "$rounds"); do
      read -r s r <<<"$(timed 0 "ALTER TABLE c DROP FOREIGN KEY fk_c, ADD CONSTRAINT _fk_c $body, ALGORITHM=INPLACE, LOCK=NONE")"
      one+=("$s"); touched=$((touched + r))
      read -r s r <<<"$(timed 0 "ALTER TABLE c DROP FOREIGN KEY _fk_c, ADD CONSTRAINT fk_c $body, ALGORITHM=INPLACE, LOCK=NONE")"
      two+=("$s"); touched=$((touched + r))
      s0=$(date +%s.%N)
      sql "$db" -e "SELECT c.pid FROM c WHERE c.pid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM p2 WHERE p2.id = c.pid) LIMIT 1" >/dev/null
      anti+=("$(echo "$(date +%s.%N) - $s0" | bc)")
      # back to p for the next round
      timed 0 "ALTER TABLE c DROP FOREIGN KEY fk_c, ADD CONSTRAINT fk_c0 FOREIGN KEY (pid) REFERENCES p (id) ON DELETE CASCADE, ALGORITHM=INPLACE, LOCK=NONE" >/dev/null
      timed 0 "ALTER TABLE c DROP FOREIGN KEY fk_c0, ADD CONSTRAINT fk_c FOREIGN KEY (pid) REFERENCES p (id) ON DELETE CASCADE, ALGORITHM=INPLACE, LOCK=NONE" >/dev/null
    done
    printf "%-10s %-26s %10s %14s\n" "$n" "move 1 (fk -> _fk)" "$(printf '%s\n' "${one[@]}" | median)" "$touched"
    printf "%-10s %-26s %10s\n" "$n" "move 2 (_fk -> fk)" "$(printf '%s\n' "${two[@]}" | median)"
    printf "%-10s %-26s %10s\n" "$n" "anti-join (client timed)" "$(printf '%s\n' "${anti[@]}" | median)"
    if inst=$(timed 0 "ALTER TABLE c DROP FOREIGN KEY fk_c, ADD CONSTRAINT _fk_c $body, ALGORITHM=INSTANT" 2>/dev/null); then
      printf "%-10s %-26s %10s %14s\n" "$n" "move 1 ALGORITHM=INSTANT" "${inst% *}" "${inst#* }"
      timed 0 "ALTER TABLE c DROP FOREIGN KEY _fk_c, ADD CONSTRAINT fk_c FOREIGN KEY (pid) REFERENCES p (id) ON DELETE CASCADE" >/dev/null
    else
      printf "%-10s %-26s %10s\n" "$n" "move 1 ALGORITHM=INSTANT" "refused"
    fi
    read -r s r <<<"$(timed 1 "ALTER TABLE c DROP FOREIGN KEY fk_c, ADD CONSTRAINT _fk_c $body, ALGORITHM=COPY")"
    printf "%-10s %-26s %10s %14s\n" "$n" "checks on (COPY), 1 run" "$s" "$r"
  done
  sql -e "DROP DATABASE IF EXISTS $db"
done
