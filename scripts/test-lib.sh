# Shared by scripts/test-env.sh and scripts/test-image.sh (sourced, not run): the test servers,
# and the Debian roots they run from. No container registry is reachable on the project's machines,
# so every server and image is made from Debian packages, each from the suite that ships it:
#
#   name           suite     package         port   image
#   mariadb-10.11  bookworm  mariadb-server  3306   schema-guard-test/mariadb:10.11
#   mysql-9.7      sid       mysql-server    3307   schema-guard-test/mysql:9.7
#   mariadb-11.8   trixie    mariadb-server  3308   schema-guard-test/mariadb:11.8
#
# MariaDB 10.11 on :3306 is the host's own package (Debian 12); the other two run from their roots
# with chroot. A root is made once with debootstrap and kept under $SCHEMA_GUARD_TEST_HOME
# (default /var/lib/schema-guard-test), with the server's data directory inside it, so a second
# run starts in seconds; the images are made from the same roots.

test_home=${SCHEMA_GUARD_TEST_HOME:-/var/lib/schema-guard-test}

# server_spec NAME sets suite, package, port, image, daemon and version (the version prefix the
# package must have: Debian's development suites move, and a server that is no longer the one its
# name says would make every test name lie).
server_spec() {
  case $1 in
  mariadb-10.11) suite=bookworm package=mariadb-server port=3306 image=schema-guard-test/mariadb:10.11 daemon=mariadbd version=10.11. ;;
  mysql-9.7) suite=sid package=mysql-server port=3307 image=schema-guard-test/mysql:9.7 daemon=mysqld version=9.7. ;;
  mariadb-11.8) suite=trixie package=mariadb-server port=3308 image=schema-guard-test/mariadb:11.8 daemon=mariadbd version=11.8. ;;
  *)
    echo "unknown test server $1 (want mariadb-10.11, mysql-9.7 or mariadb-11.8)" >&2
    return 2
    ;;
  esac
}

# debian_mirror prints the mirror apt already uses: deb822 sources first, then the one-line format.
debian_mirror() {
  local m
  m=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
  if [ -z "$m" ]; then
    m=$(grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
  fi
  [ -n "$m" ] || { echo "cannot find the Debian mirror apt uses in /etc/apt/sources.list*" >&2; return 2; }
  echo "$m"
}

# server_root NAME makes (once) and prints the root NAME runs from. The root's package-made data
# directory is emptied: the host server keeps its data in /srv/data inside the root, and an image
# initialises its own on first start.
server_root() {
  local name=$1 root tmp mirror v
  server_spec "$name" || return
  root=$test_home/$name/root
  if [ -f "$root/.schema-guard-root" ]; then
    echo "$root"
    return
  fi
  command -v debootstrap >/dev/null || { echo "debootstrap is not installed" >&2; return 2; }
  mirror=$(debian_mirror) || return
  tmp=$test_home/$name/root.tmp
  rm -rf "$tmp"
  mkdir -p "$test_home/$name"
  echo "test-env: debootstrap $suite with $package from $mirror into $root (about 2 minutes, once)" >&2
  if ! debootstrap --variant=minbase --include="$package" "$suite" "$tmp" "$mirror" >"$test_home/$name/debootstrap.log" 2>&1; then
    tail -n 20 "$test_home/$name/debootstrap.log" >&2
    return 2
  fi
  v=$(chroot "$tmp" "$daemon" --version)
  case $v in
  *" $version"* | *"Ver $version"*) ;;
  *)
    echo "$suite's $package is no longer $name: $v" >&2
    return 2
    ;;
  esac
  rm -rf "$tmp"/var/lib/mysql/* "$tmp"/var/cache/apt/archives/*.deb "$tmp"/var/lib/apt/lists/*
  mkdir -p "$tmp/run/mysqld" "$tmp/srv/data" "$tmp/srv/log"
  chroot "$tmp" chown mysql:mysql /run/mysqld /srv/data /srv/log /var/lib/mysql
  # The host's servers run in the root with chroot, where mariadb-install-db resolves localhost.
  [ -s "$tmp/etc/hosts" ] || printf '127.0.0.1\tlocalhost\n::1\tlocalhost\n' >"$tmp/etc/hosts"
  echo "$name $suite $package $v" >"$tmp/.schema-guard-root"
  mv "$tmp" "$root"
  echo "$root"
}
