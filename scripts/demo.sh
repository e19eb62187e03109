#!/usr/bin/env bash
# Runs schema-guard on the bundled example (testdata/examples/shop): first the example as it is
# (its migrations against its declared schema), then a pull request against it, made in a
# temporary git repository, that edits a deployed migration, adds a good one, renames a column
# the running application uses (the finding shows the application's own failing statements and
# the three-release plan) and adds one that fails on the server; last, a change to the declared
# schema and the migration diff writes for it.
#
# It uses the local MariaDB server that scripts/test-env.sh provides (installed and started on
# first use); pass a DSN of your own as $SCHEMA_GUARD_DSN to use another server, or set
# SCHEMA_GUARD_ENGINE=container to use Docker instead.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
example=$here/testdata/examples/shop

engine=(--engine "${SCHEMA_GUARD_ENGINE:-dsn}")
if [ "${SCHEMA_GUARD_ENGINE:-dsn}" = dsn ]; then
  if [ -z "${SCHEMA_GUARD_DSN:-}" ]; then
    bash "$here/scripts/test-env.sh" mariadb >/dev/null
    export SCHEMA_GUARD_DSN='schema_guard:schema_guard@tcp(127.0.0.1:3306)/'
  fi
fi
bin=$(mktemp -d)/schema-guard
trap 'rm -rf "$(dirname "$bin")" "${repo:-}" "${demo:-}"' EXIT
(cd "$here" && go build -o "$bin" ./cmd/schema-guard)

echo "== 1. the example's migrations: replayed on a fresh database"
echo "\$ schema-guard check --config testdata/examples/shop/.schema-guard.yaml"
(cd "$here" && "$bin" check --config testdata/examples/shop/.schema-guard.yaml "${engine[@]}" -q) && code=0 || code=$?
echo "(exit code $code)"
echo

echo "== 2. a pull request against it: main has db/migrations, the branch applies pr/"
repo=$(mktemp -d)
cp -r "$example/db" "$example/.schema-guard.yaml" "$repo/"
git -C "$repo" init -q -b main
git -C "$repo" -c user.name=demo -c user.email=demo@example.com add -A
git -C "$repo" -c user.name=demo -c user.email=demo@example.com commit -q -m "deployed migrations"
git -C "$repo" checkout -q -b feature
cp "$example"/pr/*.sql "$repo/db/migrations/"
echo "\$ schema-guard check    # base: merge-base with main"
(cd "$repo" && "$bin" check "${engine[@]}" -q) && code=0 || code=$?
echo "(exit code $code: 1 means error-level findings, as expected here)"
echo

echo "== 3. the declared schema gains a column: diff prints the migration that makes it so"
demo=$(mktemp -d)
cp -r "$example/db" "$example/schema" "$example/.schema-guard.yaml" "$demo/"
sed -i 's/^  created_at  TIMESTAMP/  tier        ENUM('"'"'basic'"'"', '"'"'gold'"'"') NOT NULL DEFAULT '"'"'basic'"'"',\n  created_at  TIMESTAMP/' "$demo/schema/customers.sql"
echo "\$ schema-guard diff"
(cd "$demo" && "$bin" diff "${engine[@]}" --base none -q) && code=0 || code=$?
echo "(exit code $code: 1 means there are differences; --write saves them as V13__….sql)"
rm -rf "$demo"
