#!/usr/bin/env bash
# Times the bundled example's pull-request check (scripts/demo.sh, step 2: 12 deployed
# migrations, the pull request's edits and 3 pending ones, the copier's dry run included) on the
# local MariaDB (scripts/test-env.sh). With SG_BASELINE_BIN set to another build of
# schema-guard, the two are run alternately and both medians printed, for a before/after.
#
#   bench/example-pr.sh [RUNS]      default 7 runs
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-7}
dsn=${SCHEMA_GUARD_TEST_DSN:-schema_guard:schema_guard@tcp(127.0.0.1:3306)/}
example=$here/testdata/examples/shop
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$here" && go build -o "$work/schema-guard" ./cmd/schema-guard)
repo=$work/repo
mkdir -p "$repo"
cp -r "$example/db" "$example/.schema-guard.yaml" "$repo/"
git -C "$repo" init -q -b main
git -C "$repo" -c user.name=b -c user.email=b@b add -A
git -C "$repo" -c user.name=b -c user.email=b@b commit -q -m deployed
git -C "$repo" checkout -q -b feature
cp "$example"/pr/*.sql "$repo/db/migrations/"

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }
time_one() { local t0 t1; t0=$(now); (cd "$repo" && "$1" check --dsn "$dsn" -q >/dev/null 2>&1) || true; t1=$(now); echo "$t1 - $t0" | bc; }
cur=() base=()
for _ in $(seq "$runs"); do
  cur+=("$(time_one "$work/schema-guard")")
  [ -z "${SG_BASELINE_BIN:-}" ] || base+=("$(time_one "$SG_BASELINE_BIN")")
done
echo "the bundled example's pull request, median of $runs (load: $(cut -d' ' -f1-3 /proc/loadavg)):"
echo "  this build      $(printf '%s\n' "${cur[@]}" | median)s   runs: ${cur[*]}"
[ -z "${SG_BASELINE_BIN:-}" ] || echo "  baseline        $(printf '%s\n' "${base[@]}" | median)s   runs: ${base[*]}"
