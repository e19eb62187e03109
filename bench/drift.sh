#!/usr/bin/env bash
# Measures the drift check on a generated schema of about 200 tables on the local MariaDB server
# (scripts/test-env.sh): the declared state is the migrations' own dump, so the drift is zero and
# every object is compared. Reports the median of R runs of `check` with and without --schema,
# and the drift phase's own time (timings_ms.drift in the JSON report).
#
#   bench/drift.sh [R]      default 5 runs
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
dsn=${SCHEMA_GUARD_TEST_DSN:-schema_guard:schema_guard@tcp(127.0.0.1:3306)/}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$here" && go build -o "$work/schema-guard" ./cmd/schema-guard && go run ./bench/gen -n 1000 -out "$work")
sg() { "$work/schema-guard" "$@" --migrations "$work/db/migrations" --dsn "$dsn" --base none -q; }
sg dump --out "$work/schema"

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }
field() { grep -o "\"$1\": [0-9]*" "$2" | head -1 | awk '{print $2}'; }
timing() { tr -d '\n ' <"$2" | grep -o '"timings_ms":{[^}]*}' | grep -o "\"$1\":[0-9]*" | cut -d: -f2; }

with=() without=() drift=()
for r in $(seq "$runs"); do
  t0=$(now); sg check --output json >"$work/plain.json"; t1=$(now)
  without+=("$(echo "$t1 - $t0" | bc)")
  t0=$(now); sg check --schema "$work/schema" --output json >"$work/drift.json"; t1=$(now)
  with+=("$(echo "$t1 - $t0" | bc)")
  drift+=("$(timing drift "$work/drift.json")")
done
tables=$(field tables "$work/drift.json")
echo "drift check, $tables tables (declared state = the migrations' dump, $(ls "$work"/schema/*/ | grep -c .sql) files), median of $runs:"
echo "  check without --schema   $(printf '%s\n' "${without[@]}" | median)s   runs: ${without[*]}"
echo "  check with --schema      $(printf '%s\n' "${with[@]}" | median)s   runs: ${with[*]}"
echo "  drift phase (timings)    $(printf '%s\n' "${drift[@]}" | median)ms   runs: ${drift[*]}"
