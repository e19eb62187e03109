#!/usr/bin/env bash
# Builds the local MariaDB image the container-engine tests run on, from Debian packages, because no
# container registry is reachable on the project's machines. Idempotent: an image built from this
# very recipe is reused; a changed recipe rebuilds it.
#
#   scripts/test-image.sh [IMAGE]     default IMAGE: schema-guard-test/mariadb:10.11
#
# The image honours the official mysql/mariadb images' contract: MYSQL_ROOT_PASSWORD or
# MARIADB_ROOT_PASSWORD (or MYSQL_ALLOW_EMPTY_PASSWORD), MYSQL_DATABASE, MYSQL_USER/MYSQL_PASSWORD,
# root@'%', and extra arguments passed through to the server ("--innodb_flush_log_at_trx_commit=0").
set -euo pipefail

image=${1:-schema-guard-test/mariadb:10.11}
here=$(cd "$(dirname "$0")" && pwd)
recipe=$(sha256sum "$here/test-image.sh" | cut -c1-16)

if [ "$(docker image inspect -f '{{index .Config.Labels "org.schema-guard.recipe"}}' "$image" 2>/dev/null || true)" = "$recipe" ]; then
  echo "test-image: $image is up to date (recipe $recipe)"
  exit 0
fi

# The mirror apt already uses: deb822 sources first, then the one-line format.
mirror=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
if [ -z "$mirror" ]; then
  mirror=$(grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
fi
[ -n "$mirror" ] || { echo "test-image: cannot find the Debian mirror apt uses" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "test-image: debootstrap is not installed" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs
echo "test-image: debootstrap bookworm from $mirror"
debootstrap --variant=minbase --include=mariadb-server bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -n 20 "$work/debootstrap.log" >&2; exit 2; }
rm -rf "$rootfs"/var/lib/mysql/* "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
mkdir -p "$rootfs/run/mysqld"

cat >"$rootfs/usr/local/bin/entrypoint.sh" <<'ENTRY'
#!/bin/bash
set -euo pipefail
datadir=/var/lib/mysql
pw=${MARIADB_ROOT_PASSWORD:-${MYSQL_ROOT_PASSWORD:-}}
if [ -z "$pw" ] && [ -z "${MYSQL_ALLOW_EMPTY_PASSWORD:-}${MARIADB_ALLOW_EMPTY_ROOT_PASSWORD:-}" ]; then
  echo "entrypoint: set MYSQL_ROOT_PASSWORD, MARIADB_ROOT_PASSWORD or MYSQL_ALLOW_EMPTY_PASSWORD" >&2
  exit 1
fi
sqlstr() { local s=${1//\\/\\\\}; printf "'%s'" "${s//\'/\'\'}"; }
mkdir -p /run/mysqld
init=
if [ ! -d "$datadir/mysql" ]; then
  mariadb-install-db --user=root --datadir="$datadir" --skip-test-db \
    --auth-root-authentication-method=normal >/tmp/install-db.log 2>&1 || { cat /tmp/install-db.log >&2; exit 1; }
  init=/tmp/init.sql
  {
    echo "CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY $(sqlstr "$pw");"
    echo "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
    echo "ALTER USER 'root'@'localhost' IDENTIFIED BY $(sqlstr "$pw");"
    # mariadb-install-db also creates password-less root accounts for these hosts.
    echo "DROP USER IF EXISTS 'root'@'127.0.0.1', 'root'@'::1', $(sqlstr "root")@$(sqlstr "$(hostname)");"
    db=${MARIADB_DATABASE:-${MYSQL_DATABASE:-}}
    [ -z "$db" ] || echo "CREATE DATABASE IF NOT EXISTS \`${db//\`/\`\`}\`;"
    user=${MARIADB_USER:-${MYSQL_USER:-}}
    if [ -n "$user" ]; then
      echo "CREATE USER $(sqlstr "$user")@'%' IDENTIFIED BY $(sqlstr "${MARIADB_PASSWORD:-${MYSQL_PASSWORD:-}}");"
      [ -z "$db" ] || echo "GRANT ALL ON \`${db//\`/\`\`}\`.* TO $(sqlstr "$user")@'%';"
    fi
  } >"$init"
fi
# init-file runs before the server accepts connections, so readiness (a SQL ping) implies the
# accounts exist.
exec mariadbd --user=root --datadir="$datadir" --bind-address=0.0.0.0 --port=3306 \
  ${init:+--init-file="$init"} "$@"
ENTRY
chmod +x "$rootfs/usr/local/bin/entrypoint.sh"

echo "test-image: importing $image"
tar -C "$rootfs" -c . | docker import \
  -c 'ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]' -c 'EXPOSE 3306' \
  -c "LABEL org.schema-guard.recipe=$recipe" - "$image" >/dev/null
echo "test-image: built $image (recipe $recipe)"
