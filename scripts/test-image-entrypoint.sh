#!/bin/bash
# Entrypoint of the local test images (scripts/test-image.sh), for MySQL and MariaDB alike. It
# honours the official mysql/mariadb images' contract: MYSQL_ROOT_PASSWORD or MARIADB_ROOT_PASSWORD
# (or MYSQL_ALLOW_EMPTY_PASSWORD / MARIADB_ALLOW_EMPTY_ROOT_PASSWORD), MYSQL_ROOT_HOST (default
# '%'), MYSQL_DATABASE, MYSQL_USER/MYSQL_PASSWORD (and their MARIADB_ names), a data directory at
# /var/lib/mysql initialised when empty, port 3306 on every address, and extra arguments passed
# through to the server ("--innodb_flush_log_at_trx_commit=0").
set -euo pipefail
datadir=/var/lib/mysql
pw=${MARIADB_ROOT_PASSWORD:-${MYSQL_ROOT_PASSWORD:-}}
if [ -z "$pw" ] && [ -z "${MYSQL_ALLOW_EMPTY_PASSWORD:-}${MARIADB_ALLOW_EMPTY_ROOT_PASSWORD:-}" ]; then
  echo "entrypoint: set MYSQL_ROOT_PASSWORD, MARIADB_ROOT_PASSWORD or MYSQL_ALLOW_EMPTY_PASSWORD" >&2
  exit 1
fi
if command -v mariadbd >/dev/null; then server=mariadbd user=root; else server=mysqld user=mysql; fi
sqlstr() { local s=${1//\\/\\\\}; printf "'%s'" "${s//\'/\'\'}"; }
mkdir -p /run/mysqld
chown "$user" /run/mysqld "$datadir"
init=
if [ ! -d "$datadir/mysql" ]; then
  if [ "$server" = mariadbd ]; then
    mariadb-install-db --user=root --datadir="$datadir" --skip-test-db \
      --auth-root-authentication-method=normal >/tmp/install-db.log 2>&1 || { cat /tmp/install-db.log >&2; exit 1; }
  else
    # MySQL's initialisation takes seconds; the image carries a data directory initialised at build
    # time (without its server UUID, so each container makes its own). Options fixed at
    # initialisation need a fresh one.
    fresh=
    for a in "$@"; do
      case ${a//-/_} in __lower_case_table_names* | __innodb_page_size* | __innodb_data_file_path*) fresh=1 ;; esac
    done
    if [ -z "$fresh" ] && [ -d /usr/share/schema-guard/datadir/mysql ]; then
      cp -a /usr/share/schema-guard/datadir/. "$datadir"/
      chown -R "$user" "$datadir"
    else
      mysqld --no-defaults --initialize-insecure --user="$user" --datadir="$datadir" "$@" >/tmp/initialize.log 2>&1 || {
        cat /tmp/initialize.log >&2; exit 1; }
    fi
  fi
  init=/tmp/init.sql
  host=${MYSQL_ROOT_HOST:-${MARIADB_ROOT_HOST:-%}}
  {
    [ "$host" = localhost ] || {
      echo "CREATE USER IF NOT EXISTS 'root'@$(sqlstr "$host") IDENTIFIED BY $(sqlstr "$pw");"
      echo "GRANT ALL ON *.* TO 'root'@$(sqlstr "$host") WITH GRANT OPTION;"
    }
    echo "ALTER USER 'root'@'localhost' IDENTIFIED BY $(sqlstr "$pw");"
    # mariadb-install-db also creates password-less root accounts for these hosts.
    [ "$server" = mysqld ] ||
      echo "DROP USER IF EXISTS 'root'@'127.0.0.1', 'root'@'::1', $(sqlstr "root")@$(sqlstr "$(hostname)");"
    db=${MARIADB_DATABASE:-${MYSQL_DATABASE:-}}
    [ -z "$db" ] || echo "CREATE DATABASE IF NOT EXISTS \`${db//\`/\`\`}\`;"
    account=${MARIADB_USER:-${MYSQL_USER:-}}
    if [ -n "$account" ]; then
      echo "CREATE USER $(sqlstr "$account")@'%' IDENTIFIED BY $(sqlstr "${MARIADB_PASSWORD:-${MYSQL_PASSWORD:-}}");"
      [ -z "$db" ] || echo "GRANT ALL ON \`${db//\`/\`\`}\`.* TO $(sqlstr "$account")@'%';"
    fi
  } >"$init"
fi
# Like the official images: Debian's MySQL configuration (a log file, user=mysql) is not read, so
# the server logs to stderr; no reverse DNS lookups for clients.
defaults=()
[ "$server" = mariadbd ] || defaults=(--no-defaults)
extra=(--skip-name-resolve)
[ "$server" = mariadbd ] || extra+=(--mysqlx=OFF)
# init-file runs before the server accepts connections, so readiness (a SQL ping) implies the
# accounts exist.
exec "$server" "${defaults[@]}" --user="$user" --datadir="$datadir" --bind-address=0.0.0.0 --port=3306 \
  --socket=/run/mysqld/mysqld.sock "${extra[@]}" ${init:+--init-file="$init"} "$@"
