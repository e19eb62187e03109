#!/usr/bin/env bash
# Measures one big migration on the local MariaDB server (scripts/test-env.sh): a generated
# file of MB megabytes (bench/genbig: multi-row and single-row INSERTs, UPDATEs, comments, some
# DDL, a trigger), a Flyway migration or a Liquibase changelog of some 300 changesets a
# megabyte, checked by `schema-guard check --dsn … --base none`, against piping the same
# statements through the mariadb client on the same server (which also creates and drops its
# database). Wall time and peak memory (/usr/bin/time %M) of each, median of R runs,
# alternating; the load average before and after. SCHEMA_GUARD_BIN measures another build
# (an older commit's, for a before/after comparison) instead of this tree's.
#
#   bench/bigfile.sh [MB] [R] [FORMAT]     defaults: 16 MB, 5 runs, flyway (or liquibase)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
mb=${1:-16}
runs=${2:-5}
format=${3:-flyway}
port=${SCHEMA_GUARD_TEST_PORT:-3306}
dsn="schema_guard:schema_guard@tcp(127.0.0.1:$port)/"
client=(mariadb -h127.0.0.1 -P"$port" -uschema_guard -pschema_guard)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$here" && go run ./bench/genbig -mb "$mb" -format "$format" -out "$work")
bin=${SCHEMA_GUARD_BIN:-}
if [ -z "$bin" ]; then
  (cd "$here" && go build -o "$work/schema-guard" ./cmd/schema-guard)
  bin=$work/schema-guard
fi
file=$(ls "$work"/db/migrations/*.sql)
{ echo "CREATE DATABASE schema_guard_bigfile_$$; USE schema_guard_bigfile_$$;"; cat "$work/client.sql"; echo "DROP DATABASE schema_guard_bigfile_$$;"; } >"$work/client-run.sql"

# median [FORMAT]: the median of the numbers on standard input.
median() { sort -g | awk -v f="${1:-%.2f}" '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf f, m}'; }
# measure OUT CMD…: runs CMD under /usr/bin/time, appends "seconds kilobytes" to OUT.
measure() {
  local out=$1
  shift
  /usr/bin/time -o "$work/time" -f "%e %M" "$@"
  cat "$work/time" >>"$out"
}

echo "load before: $(uptime)"
: >"$work/sg" && : >"$work/cl"
for r in $(seq "$runs"); do
  measure "$work/sg" "$bin" check --migrations "$work/db/migrations" --dsn "$dsn" --base none -q --output json >"$work/report.json" || {
    rc=$?
    [ "$rc" -eq 1 ] || exit "$rc" # exit 1 is findings (mixed-ddl-dml is a warning here)
  }
  measure "$work/cl" "${client[@]}" <"$work/client-run.sql"
done
echo "load after:  $(uptime)"
statements=$(grep -o '"statements": [0-9]*' "$work/report.json" | awk '{s+=$2} END {print s}')
sgt=$(awk '{print $1}' "$work/sg" | median) sgm=$(awk '{print $2}' "$work/sg" | median %d)
clt=$(awk '{print $1}' "$work/cl" | median) clm=$(awk '{print $2}' "$work/cl" | median %d)
echo "one $format migration of $(du -m "$file" | cut -f1) MB ($statements statements), median of $runs:"
echo "  schema-guard check (dsn)   ${sgt}s  peak ${sgm} KB   runs: $(awk '{printf "%s ", $1}' "$work/sg")"
echo "  mariadb client             ${clt}s  peak ${clm} KB   runs: $(awk '{printf "%s ", $1}' "$work/cl")"
echo "  ratio                      $(echo "scale=2; $sgt / $clt" | bc)x"
