#!/usr/bin/env bash
# Builds a local image of a test server for the container-engine tests, from the server's Debian
# root (scripts/test-lib.sh), because no container registry is reachable on the project's
# machines. Idempotent: an image built from this very recipe and root is reused; a changed recipe
# rebuilds it.
#
#   scripts/test-image.sh [IMAGE]     default IMAGE: schema-guard-test/mariadb:10.11
#   IMAGE is one of schema-guard-test/mariadb:10.11, schema-guard-test/mysql:9.7,
#   schema-guard-test/mariadb:11.8.
#
# The image's entrypoint (scripts/test-image-entrypoint.sh) honours the official mysql/mariadb
# images' contract.
set -euo pipefail

image=${1:-schema-guard-test/mariadb:10.11}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/test-lib.sh"
name=${image#schema-guard-test/}
name=${name/:/-}
want=$image
server_spec "$name"
[ "$image" = "$want" ] || { echo "test-image: unknown image $want" >&2; exit 2; }

command -v docker >/dev/null || { echo "test-image: docker is not installed (scripts/test-env.sh installs it)" >&2; exit 2; }
root=$(server_root "$name")
recipe=$(cat "$here/test-image.sh" "$here/test-image-entrypoint.sh" "$root/.schema-guard-root" | sha256sum | cut -c1-16)
if [ "$(docker image inspect -f '{{index .Config.Labels "org.schema-guard.recipe"}}' "$image" 2>/dev/null || true)" = "$recipe" ]; then
  echo "test-image: $image is up to date (recipe $recipe)"
  exit 0
fi

install -m 0755 "$here/test-image-entrypoint.sh" "$root/usr/local/bin/entrypoint.sh"
if [ "$daemon" = mysqld ]; then
  # The data directory the entrypoint copies instead of initialising one (seconds) at every start.
  rm -rf "$root/usr/share/schema-guard"
  mkdir -p "$root/usr/share/schema-guard"
  chroot "$root" mysqld --no-defaults --initialize-insecure --user=root \
    --datadir=/usr/share/schema-guard/datadir >/dev/null 2>&1 || {
    echo "test-image: cannot initialise a MySQL data directory in $root" >&2; exit 2; }
  rm -f "$root/usr/share/schema-guard/datadir/auto.cnf"
fi

# The host server's data (/srv) and run files stay out of the image; the data directory the
# package made is empty already (server_root).
echo "test-image: importing $image from $root"
tar -C "$root" --exclude=./srv --exclude='./run/mysqld/*' --exclude=./.schema-guard-root -c . |
  docker import -c 'ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]' -c 'EXPOSE 3306' \
    -c "LABEL org.schema-guard.recipe=$recipe" - "$image" >/dev/null
echo "test-image: built $image (recipe $recipe)"
