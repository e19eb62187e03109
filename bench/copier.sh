#!/usr/bin/env bash
# Measures online-copy throughput on the same 1,000,000-row table on the local MariaDB
# (scripts/test-env.sh; pt-online-schema-change from Debian's percona-toolkit):
#   - schema-guard copy --execute        (shadow table, triggers, chunked copy, checksum, cut-over)
#   - pt-online-schema-change --execute  (shadow table, triggers, chunked INSERT IGNORE copy, cut-over)
#   - ALTER TABLE … ALGORITHM=COPY       (the server's own blocking copy, in one statement)
#   - the bare chunked copy: INSERT … SELECT … LOCK IN SHARE MODE of 20,000-key ranges into an
#     empty copy of the table, in one session and in two (each taking half the ranges), with
#     nothing else — no triggers, no checksum, no cut-over. What every copier that writes each
#     row once through the SQL layer (pt-osc, gh-ost, this one) pays at least: its time bounds
#     how much faster than pt-osc any of them can be on this server.
# Each adds a nullable column; they take turns, R rounds; medians are reported.
#
#   bench/copier.sh [R] [ROWS]      defaults: 3 rounds, 1000000 rows
#   SG_BENCH_PORT=3307 bench/copier.sh   another server on 127.0.0.1 (same account)
#   SG_BENCH_AUTOINC=2 bench/copier.sh   a private MariaDB started for the run (Debian's
#       mariadbd, a scratch datadir, 127.0.0.1:3399) with innodb_autoinc_lock_mode=2 (or 0, 1),
#       the setting a running server cannot change; stopped by its PID at the end
set -euo pipefail
shopt -s inherit_errexit  # a failed run inside $(timed …) stops the bench too
here=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-3}
rows=${2:-1000000}
user=schema_guard pass=schema_guard host=127.0.0.1 port=${SG_BENCH_PORT:-3306}
private=
work=$(mktemp -d)
cleanup() {
  [ -z "${client:-}" ] || "${client[@]}" -e "DROP DATABASE IF EXISTS $db" || true
  rm -rf "$work"
  if [ -n "$private" ]; then
    kill "$(cat "$private/server.pid")" 2>/dev/null && while kill -0 "$(cat "$private/server.pid")" 2>/dev/null; do sleep 0.2; done
    rm -rf "$private"
  fi
}
trap cleanup EXIT
if [ -n "${SG_BENCH_AUTOINC:-}" ]; then
  port=3399 private=$(mktemp -d /var/tmp/sg-bench-XXXX)
  sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo mariadb-install-db --no-defaults --user="$(id -un)" --datadir="$private/data" --auth-root-authentication-method=normal >/dev/null
  /usr/sbin/mariadbd --no-defaults --user="$(id -un)" --datadir="$private/data" --socket="$private/sock" \
    --pid-file="$private/pid" --bind-address=127.0.0.1 --port=$port --skip-log-bin \
    --innodb-autoinc-lock-mode="$SG_BENCH_AUTOINC" --innodb-buffer-pool-size=1G \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci >"$private/log" 2>&1 &
  echo $! >"$private/server.pid"
  for _ in $(seq 120); do mariadb-admin --socket="$private/sock" -uroot ping >/dev/null 2>&1 && break; sleep 0.25; done
  mariadb --socket="$private/sock" -uroot -e "CREATE USER '$user'@'127.0.0.1' IDENTIFIED BY '$pass';
    GRANT ALL ON *.* TO '$user'@'127.0.0.1'" || { tail -n 20 "$private/log" >&2; exit 2; }
fi
db=schema_guard_benchcopy_$$
dsn="$user:$pass@tcp($host:$port)/$db"
client=(mariadb -h"$host" -P"$port" -u"$user" -p"$pass")
command -v pt-online-schema-change >/dev/null || {
  echo "bench/copier.sh: pt-online-schema-change is missing (apt-get install percona-toolkit)" >&2; exit 2; }

(cd "$here" && go build -o "$work/schema-guard" ./cmd/schema-guard)

"${client[@]}" -e "CREATE DATABASE $db"
"${client[@]}" "$db" -e "CREATE TABLE bench (
  id BIGINT AUTO_INCREMENT PRIMARY KEY, a INT NOT NULL, b VARCHAR(100) NOT NULL,
  c DATETIME NOT NULL, d DECIMAL(10,2) NOT NULL, KEY idx_a (a)) ENGINE=InnoDB;
  INSERT INTO bench (a, b, c, d) VALUES (1, 'x', '2024-01-01 00:00:00', 1.5);"
while [ "$("${client[@]}" -N "$db" -e 'SELECT COUNT(*) FROM bench')" -lt "$rows" ]; do
  "${client[@]}" "$db" -e "INSERT INTO bench (a, b, c, d)
    SELECT a + id, CONCAT(b, id % 97), c - INTERVAL id SECOND, d + id % 1000 FROM bench LIMIT $rows"
done
"${client[@]}" "$db" -e "SET @n = (SELECT COUNT(*) FROM bench) - $rows;
  PREPARE s FROM 'DELETE FROM bench ORDER BY id DESC LIMIT ?'; EXECUTE s USING @n; ANALYZE TABLE bench" >/dev/null

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'; }
sg=() pt=() alter=() floor1=() floor2=()
maxid=$("${client[@]}" -N "$db" -e 'SELECT MAX(id) FROM bench')
# bare N: the bare chunked copy in N sessions, session i taking every N-th range.
bare() {
  "${client[@]}" "$db" -e "DROP TABLE IF EXISTS bare; CREATE TABLE bare LIKE bench"
  local i pids=()
  for i in $(seq 0 $(($1 - 1))); do
    awk -v max="$maxid" -v n="$1" -v i="$i" 'BEGIN { for (lo = i * 20000; lo < max; lo += n * 20000)
      printf "INSERT INTO bare SELECT * FROM bench WHERE id > %d AND id <= %d LOCK IN SHARE MODE;\n", lo, lo + 20000 }' \
      >"$work/bare$i.sql"
  done
  for i in $(seq 0 $(($1 - 1))); do "${client[@]}" "$db" <"$work/bare$i.sql" & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p"; done
}
# timed CMD…: the seconds CMD takes, its output discarded.
timed() { local t0; t0=$(now); "$@" >/dev/null; echo "$(now) - $t0" | bc; }
for r in $(seq "$rounds"); do
  sg+=("$(timed "$work/schema-guard" copy -q --dsn "$dsn" --table bench --alter "ADD COLUMN sg$r INT NULL" --execute)")
  pt+=("$(timed pt-online-schema-change --alter "ADD COLUMN pt$r INT NULL" \
    "D=$db,t=bench,h=$host,P=$port,u=$user,p=$pass" --execute --recursion-method=none)")
  alter+=("$(timed "${client[@]}" "$db" -e "ALTER TABLE bench ADD COLUMN al$r INT NULL, ALGORITHM=COPY")")
  floor1+=("$(timed bare 1)")
  floor2+=("$(timed bare 2)")
done
"${client[@]}" "$db" -e "DROP TABLE bare"
sgm=$(printf '%s\n' "${sg[@]}" | median)
ptm=$(printf '%s\n' "${pt[@]}" | median)
alm=$(printf '%s\n' "${alter[@]}" | median)
f1m=$(printf '%s\n' "${floor1[@]}" | median)
f2m=$(printf '%s\n' "${floor2[@]}" | median)
rate() { echo "scale=0; $rows / $1" | bc; }
mode=$("${client[@]}" -N -e 'SELECT @@innodb_autoinc_lock_mode')
echo "online copy of $rows rows (ADD COLUMN), median of $rounds, innodb_autoinc_lock_mode=$mode:"
echo "  schema-guard copy --execute      ${sgm}s  $(rate "$sgm") rows/s   runs: ${sg[*]}"
echo "  pt-online-schema-change          ${ptm}s  $(rate "$ptm") rows/s   runs: ${pt[*]}"
echo "  ALTER TABLE … ALGORITHM=COPY     ${alm}s  $(rate "$alm") rows/s   runs: ${alter[*]}"
echo "  bare chunked copy, 1 session    ${f1m}s  $(rate "$f1m") rows/s   runs: ${floor1[*]}"
echo "  bare chunked copy, 2 sessions   ${f2m}s  $(rate "$f2m") rows/s   runs: ${floor2[*]}"
fm=$f1m; [ "$(echo "$f2m < $f1m" | bc)" = 1 ] && fm=$f2m
echo "  the most any such copier can gain over pt-osc here: $(echo "scale=2; $ptm / $fm" | bc)x (pt-osc's time / the faster bare copy)"
echo "  schema-guard vs pt-osc: $(echo "scale=2; $ptm / $sgm" | bc)x the rate; vs ALTER COPY: $(echo "scale=2; $sgm / $alm" | bc)x the time"
