#!/usr/bin/env bash
# Installs and starts what schema-guard's tests need, idempotently, on Debian 12 (root or sudo):
#   - a MariaDB server on 127.0.0.1:3306 with the test account schema_guard/schema_guard, which may
#     only touch databases named schema_guard_* (exactly what the dsn engine needs);
#   - a Docker engine, and the local MariaDB image the container-engine tests use
#     (scripts/test-image.sh; no container registry is reachable on the project's machines);
#   - act for the GitHub Action's end-to-end test, and the CLI image's base (scripts/image-base.sh).
# Servers it starts keep running after it exits; their PIDs are in /tmp/schema-guard-*.pid.
#
#   scripts/test-env.sh           everything
#   scripts/test-env.sh mariadb   only the MariaDB server (enough for the bundled example)
set -euo pipefail

what=${1:-all}
here=$(cd "$(dirname "$0")" && pwd)
sudo=
[ "$(id -u)" = 0 ] || sudo=sudo
log() { echo "test-env: $*"; }

need=()
command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || need+=(mariadb-server mariadb-client)
if [ "$what" = all ]; then
  command -v dockerd >/dev/null || need+=(docker.io)
  command -v debootstrap >/dev/null || need+=(debootstrap)
  command -v shellcheck >/dev/null || need+=(shellcheck) # actionlint's run: scripts (e2e/lint_test.go)
fi
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

# MariaDB on 127.0.0.1:3306.
if ! $sudo mariadb-admin --connect-timeout=2 ping >/dev/null 2>&1; then
  log "starting mariadbd"
  $sudo mkdir -p /run/mysqld
  $sudo chown mysql /run/mysqld
  $sudo setsid /usr/sbin/mariadbd --user=mysql --bind-address=127.0.0.1 --port=3306 --max-connections=1000 \
    >/tmp/schema-guard-mariadbd.log 2>&1 < /dev/null &
  echo $! >/tmp/schema-guard-mariadbd.pid
  for _ in $(seq 60); do
    $sudo mariadb-admin --connect-timeout=1 ping >/dev/null 2>&1 && break
    sleep 0.5
  done
  $sudo mariadb-admin ping >/dev/null || { tail -n 20 /tmp/schema-guard-mariadbd.log >&2; exit 1; }
fi
$sudo mariadb <<'SQL'
CREATE USER IF NOT EXISTS 'schema_guard'@'127.0.0.1' IDENTIFIED BY 'schema_guard';
GRANT ALL ON `schema\_guard\_%`.* TO 'schema_guard'@'127.0.0.1';
-- The documented least-privilege account (README, Security): it may create the per-run account.
CREATE USER IF NOT EXISTS 'schema_guard_admin'@'127.0.0.1' IDENTIFIED BY 'schema_guard_admin';
GRANT CREATE USER ON *.* TO 'schema_guard_admin'@'127.0.0.1';
GRANT ALL ON `schema\_guard\_%`.* TO 'schema_guard_admin'@'127.0.0.1' WITH GRANT OPTION;
-- What a CI service container's root looks like, for the sandbox tests.
CREATE USER IF NOT EXISTS 'schema_guard_root'@'127.0.0.1' IDENTIFIED BY 'schema_guard_root';
GRANT ALL ON *.* TO 'schema_guard_root'@'127.0.0.1' WITH GRANT OPTION;
SQL
log "mariadb ready: schema_guard:schema_guard@tcp(127.0.0.1:3306)/"
[ "$what" = all ] || exit 0

# Docker.
if ! $sudo docker version >/dev/null 2>&1; then
  log "starting dockerd"
  $sudo setsid dockerd >/tmp/schema-guard-dockerd.log 2>&1 < /dev/null &
  echo $! >/tmp/schema-guard-dockerd.pid
  for _ in $(seq 60); do
    $sudo docker version >/dev/null 2>&1 && break
    sleep 0.5
  done
  $sudo docker version >/dev/null || { tail -n 20 /tmp/schema-guard-dockerd.log >&2; exit 1; }
fi
log "docker ready"
$sudo bash "$here/test-image.sh"

# The GitHub Action's end-to-end test (e2e/) runs the example workflow with act (from the module
# proxy), and e2e/image_test.go builds the CLI image on a base made from Debian packages
# (scripts/image-base.sh). Both do nothing when up to date.
act=$(go env GOPATH)/bin/act
if [ "$("$act" --version 2>/dev/null)" != "act version 0.2.70" ]; then
  log "installing act 0.2.70"
  go install github.com/nektos/act@v0.2.70
fi
$sudo bash "$here/image-base.sh"
