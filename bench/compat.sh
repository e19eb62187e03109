#!/usr/bin/env bash
# Measures what judging a pull request costs on the local MariaDB (scripts/test-env.sh): 1,000
# generated migrations (204 tables) are deployed in a git repository, and a branch adds N pending
# migrations that alter deployed tables. Compares `check` with the branch (rules, online-DDL
# measurement and old-app probes around every pending statement) to `check` of the same files
# with everything deployed (the same replay, nothing judged). Median of R runs each.
#
#   bench/compat.sh [N] [R]      defaults: 10 pending migrations, 5 runs
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-10}
runs=${2:-5}
dsn=${SCHEMA_GUARD_TEST_DSN:-schema_guard:schema_guard@tcp(127.0.0.1:3306)/}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$here" && go build -o "$work/schema-guard" ./cmd/schema-guard && go run ./bench/gen -n 1000 -out "$work/repo")
git -C "$work/repo" init -q -b main
git -C "$work/repo" -c user.name=b -c user.email=b@b add -A
git -C "$work/repo" -c user.name=b -c user.email=b@b commit -qm deployed
git -C "$work/repo" checkout -qb change
for i in $(seq "$n"); do
  t=$(printf 't%03d' $((i * 7 % 200 + 1)))
  case $((i % 3)) in
    0) sql="ALTER TABLE $t ADD COLUMN extra_$i VARCHAR(20) NULL;" ;;
    1) sql="ALTER TABLE $t ADD INDEX idx_name_$i (name);" ;;
    2) sql="ALTER TABLE $t MODIFY name VARCHAR(120) NOT NULL;" ;;
  esac
  echo "$sql" >"$work/repo/db/migrations/V$((1000 + i))__pending_$i.sql"
done

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }
sg() { (cd "$work/repo" && "$work/schema-guard" check --dsn "$dsn" -q --output json "$@" >"$work/out.json") || true; }

timing() { tr -d '\n ' <"$work/out.json" | grep -o '"timings_ms":{[^}]*}' | grep -o "\"$1\":[0-9]*" | cut -d: -f2; }
judged=() plain=() rules=()
for r in $(seq "$runs"); do
  t0=$(now); sg; t1=$(now); judged+=("$(echo "$t1 - $t0" | bc)"); rules+=("$(timing rules)")
  t0=$(now); sg --base change; t1=$(now); plain+=("$(echo "$t1 - $t0" | bc)")
done
sg
findings=$(grep -c '"rule":' "$work/out.json" || true)
jm=$(printf '%s\n' "${judged[@]}" | median)
pm=$(printf '%s\n' "${plain[@]}" | median)
echo "1000 deployed migrations (204 tables) + $n pending ALTERs, median of $runs:"
echo "  check, nothing pending (base = the branch)   ${pm}s   runs: ${plain[*]}"
echo "  check of the pull request ($findings findings)       ${jm}s   runs: ${judged[*]}"
rm=$(printf '%s\n' "${rules[@]}" | median)
echo "  judging the $n pending statements (timings_ms.rules)   ${rm}ms, $(echo "scale=0; $rm / $n" | bc)ms each   runs: ${rules[*]}"
