#!/usr/bin/env bash
# Measures, on the local MariaDB server (scripts/test-env.sh) and the local image:
#   1. replaying a generated directory of N migrations: schema-guard's wall time (the whole
#      check: discovery, splitting, parsing, replay, introspection, scratch database create/drop)
#      against piping the same statements through the mariadb client on the same server, which
#      also creates and drops its database. Median of R runs each, alternating.
#   2. container start to first query with the local image, median of 5 (the engine's startup_ms).
#
#   bench/replay.sh [N] [R]        defaults: 500 migrations, 5 runs
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-500}
runs=${2:-5}
dsn=${SCHEMA_GUARD_TEST_DSN:-schema_guard:schema_guard@tcp(127.0.0.1:3306)/}
image=${SCHEMA_GUARD_TEST_IMAGE:-schema-guard-test/mariadb:10.11}
export TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1 TESTCONTAINERS_RYUK_DISABLED=true
client=(mariadb -h127.0.0.1 -P3306 -uschema_guard -pschema_guard)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$here" && go build -o "$work/schema-guard" ./cmd/schema-guard && go run ./bench/gen -n "$n" -out "$work")

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }

sg=() cl=()
for r in $(seq "$runs"); do
  t0=$(now)
  "$work/schema-guard" check --migrations "$work/db/migrations" --dsn "$dsn" --base none -q --output json >"$work/report.json"
  t1=$(now)
  sg+=("$(echo "$t1 - $t0" | bc)")
  db=schema_guard_bench_$r
  t0=$(now)
  { echo "CREATE DATABASE $db; USE $db;"; cat "$work/all.sql"; echo "DROP DATABASE $db;"; } | "${client[@]}"
  t1=$(now)
  cl+=("$(echo "$t1 - $t0" | bc)")
done
statements=$(grep -o '"statements": [0-9]*' "$work/report.json" | awk '{s+=$2} END {print s}')
sgm=$(printf '%s\n' "${sg[@]}" | median)
clm=$(printf '%s\n' "${cl[@]}" | median)
echo "replay of $n migrations ($statements statements), median of $runs:"
echo "  schema-guard check (dsn)   ${sgm}s   runs: ${sg[*]}"
echo "  mariadb client             ${clm}s   runs: ${cl[*]}"
echo "  ratio                      $(echo "scale=2; $sgm / $clm" | bc)x"

mkdir -p "$work/one/db/migrations"
echo "CREATE TABLE t (id INT PRIMARY KEY);" >"$work/one/db/migrations/V1__t.sql"
starts=()
for r in 1 2 3 4 5; do
  "$work/schema-guard" check --migrations "$work/one/db/migrations" --engine container --image "$image" \
    --base none -q --output json >"$work/one.json"
  starts+=("$(grep -o '"startup_ms": [0-9]*' "$work/one.json" | awk '{print $2}')")
done
echo "container start to first query ($image), median of 5: $(printf '%s\n' "${starts[@]}" | median)ms   runs: ${starts[*]}"
