#!/usr/bin/env bash
# Installs and starts what schema-guard's tests need, idempotently, on Debian 12 (root or sudo):
#   - three servers on 127.0.0.1, each with the test account schema_guard/schema_guard, which may
#     only touch databases named schema_guard_* (exactly what the dsn engine needs):
#       MariaDB 10.11 on :3306 (the host's package), MySQL 9.7 on :3307 (Debian sid) and
#       MariaDB 11.8 on :3308 (Debian trixie), the last two from Debian roots kept under
#       /var/lib/schema-guard-test (scripts/test-lib.sh);
#   - a Docker engine, and a local image of each server for the container-engine tests
#     (scripts/test-image.sh; no container registry is reachable on the project's machines);
#   - act for the GitHub Action's end-to-end test, and the CLI image's base (scripts/image-base.sh).
# Servers it starts keep running after it exits; their PIDs are in /tmp/schema-guard-*.pid.
#
#   scripts/test-env.sh           everything
#   scripts/test-env.sh servers   only the three servers
#   scripts/test-env.sh mariadb   only the MariaDB 10.11 server (enough for the bundled example)
set -euo pipefail

what=${1:-all}
here=$(cd "$(dirname "$0")" && pwd)
sudo=
[ "$(id -u)" = 0 ] || sudo=sudo
log() { echo "test-env: $*"; }

need=()
command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || need+=(mariadb-server mariadb-client)
[ "$what" = mariadb ] || command -v debootstrap >/dev/null || need+=(debootstrap)
if [ "$what" = all ]; then
  command -v dockerd >/dev/null || need+=(docker.io)
  command -v shellcheck >/dev/null || need+=(shellcheck) # actionlint's run: scripts (e2e/lint_test.go)
  command -v gcc >/dev/null || need+=(gcc) # cgo, which go test -race needs (.ci/run)
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
    >>/tmp/schema-guard-mariadbd.log 2>&1 < /dev/null &
  echo $! >/tmp/schema-guard-mariadbd.pid
  for _ in $(seq 60); do
    $sudo mariadb-admin --connect-timeout=1 ping >/dev/null 2>&1 && break
    sleep 0.5
  done
  $sudo mariadb-admin ping >/dev/null || { tail -n 20 /tmp/schema-guard-mariadbd.log >&2; exit 1; }
fi
$sudo mariadb <"$here/test-account.sql"
log "mariadb-10.11 ready: schema_guard:schema_guard@tcp(127.0.0.1:3306)/"
[ "$what" != mariadb ] || exit 0

# MySQL 9.7 and MariaDB 11.8, each from its Debian root (made once, scripts/test-lib.sh). The data
# directory is /srv/data inside the root, so it outlives the server; the socket is the root's
# /run/mysqld/mysqld.sock, which the root's own client uses for the administrator account.
. "$here/test-lib.sh"
# The roots are made once, each by a debootstrap of about two minutes; on a fresh machine they are
# made side by side (the 10.11 one only for its image).
roots=(mysql-9.7 mariadb-11.8)
[ "$what" != all ] || roots+=(mariadb-10.11)
pids=()
for name in "${roots[@]}"; do
  $sudo bash -c ". '$here/test-lib.sh' && server_root $name" >/dev/null &
  pids+=($!)
done
for pid in "${pids[@]}"; do
  wait "$pid" || { echo "test-env: cannot make a server root (see above)" >&2; exit 1; }
done
chroot_server() {
  local name=$1 root client admin pidfile=/tmp/schema-guard-$1.pid logfile=/tmp/schema-guard-$1.log
  root=$($sudo bash -c ". '$here/test-lib.sh' && server_root $name")
  server_spec "$name"
  if [ "$daemon" = mysqld ]; then client=mysql admin=mysqladmin; else client=mariadb admin=mariadb-admin; fi
  ping() { $sudo chroot "$root" $admin --connect-timeout=1 -uroot --socket=/run/mysqld/mysqld.sock ping >/dev/null 2>&1; }
  if ! ping; then
    $sudo mkdir -p "$root/run/mysqld" "$root/srv/data" "$root/srv/log"
    $sudo chroot "$root" chown mysql:mysql /run/mysqld /srv/data /srv/log
    if [ ! -d "$root/srv/data/mysql" ]; then
      # Into a directory of its own, renamed when complete: an interrupted initialisation must not
      # leave a half-made data directory that the next run would take for a real one.
      log "initialising $name's data directory"
      $sudo rm -rf "$root/srv/data" "$root/srv/data.init"
      $sudo mkdir -p "$root/srv/data.init"
      $sudo chroot "$root" chown mysql:mysql /srv/data.init
      if [ "$daemon" = mysqld ]; then
        $sudo chroot "$root" mysqld --initialize-insecure --user=mysql --datadir=/srv/data.init \
          --log-error=/srv/log/init.err || { cat "$root/srv/log/init.err" >&2; exit 1; }
      else
        $sudo chroot "$root" mariadb-install-db --user=mysql --datadir=/srv/data.init --skip-test-db \
          >"$root/srv/log/init.err" 2>&1 || { cat "$root/srv/log/init.err" >&2; exit 1; }
      fi
      $sudo mv "$root/srv/data.init" "$root/srv/data"
    fi
    log "starting $name on 127.0.0.1:$port"
    # MySQL keeps its defaults (binary logging on, as in production), where CREATE TRIGGER and
    # CREATE FUNCTION need SUPER unless log_bin_trust_function_creators is on. SUPER would let
    # untrusted migrations act on the whole server, so the server trusts function creators instead:
    # the setting README.md asks of a dsn-engine server with binary logging. Binary logs are purged
    # after an hour, so test runs do not fill the disk.
    # A test server need not survive a crash: commits are not flushed one by one (the semantics
    # of every statement stay the same).
    local extra=(--innodb-flush-log-at-trx-commit=2 --max-connections=1000)
    [ "$daemon" = mariadbd ] || extra+=(--mysqlx=OFF --log-bin-trust-function-creators=ON --binlog-expire-logs-seconds=3600 --sync-binlog=0)
    $sudo setsid chroot "$root" "$daemon" --user=mysql --datadir=/srv/data --port="$port" \
      --bind-address=127.0.0.1 --socket=/run/mysqld/mysqld.sock --pid-file=/run/mysqld/mysqld.pid \
      --log-error=/srv/log/error.log "${extra[@]}" >"$logfile" 2>&1 </dev/null &
    echo $! >"$pidfile"
    for _ in $(seq 120); do
      ping && break
      sleep 0.5
    done
    ping || { tail -n 20 "$root/srv/log/error.log" >&2; exit 1; }
  fi
  $sudo chroot "$root" $client -uroot --socket=/run/mysqld/mysqld.sock <"$here/test-account.sql"
  log "$name ready: schema_guard:schema_guard@tcp(127.0.0.1:$port)/"
}
chroot_server mysql-9.7
chroot_server mariadb-11.8
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
for image in schema-guard-test/mariadb:10.11 schema-guard-test/mysql:9.7 schema-guard-test/mariadb:11.8; do
  $sudo bash "$here/test-image.sh" "$image"
done

# The GitHub Action's end-to-end test (e2e/) runs the example workflow with act (from the module
# proxy), and e2e/image_test.go builds the CLI image on a base made from Debian packages
# (scripts/image-base.sh). Both do nothing when up to date.
act=$(go env GOPATH)/bin/act
if [ "$("$act" --version 2>/dev/null)" != "act version 0.2.70" ]; then
  log "installing act 0.2.70"
  go install github.com/nektos/act@v0.2.70
fi
$sudo bash "$here/image-base.sh"
