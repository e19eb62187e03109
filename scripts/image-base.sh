#!/usr/bin/env bash
# Provides the base image of the CLI image (Dockerfile: debian:bookworm-slim) on a machine without a
# container registry, built from Debian packages: bookworm minbase with git and CA certificates,
# which is what the Dockerfile would otherwise install. e2e/image_test.go builds the image on it
# from the snapshot release (dist/).
#
# Idempotent: an image of that name is used as it is, whoever made it (the official one where a
# registry is reachable; the Dockerfile installs git when a base lacks it).
#
#   scripts/image-base.sh
set -euo pipefail

image=debian:bookworm-slim
log() { echo "image-base: $*"; }

command -v docker >/dev/null || { echo "image-base: docker is not installed (scripts/test-env.sh installs it)" >&2; exit 2; }
if docker image inspect "$image" >/dev/null 2>&1; then
  log "$image is there"
  exit 0
fi

# The mirror apt already uses: deb822 sources first, then the one-line format.
mirror=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
if [ -z "$mirror" ]; then
  mirror=$(grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
fi
[ -n "$mirror" ] || { echo "image-base: cannot find the Debian mirror apt uses" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "image-base: debootstrap is not installed (scripts/test-env.sh installs it)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log "debootstrap bookworm (git, ca-certificates) from $mirror"
debootstrap --variant=minbase --include=git,ca-certificates bookworm "$work/rootfs" "$mirror" \
  >"$work/debootstrap.log" 2>&1 || { tail -n 20 "$work/debootstrap.log" >&2; exit 2; }
rm -rf "$work"/rootfs/var/cache/apt/archives/*.deb "$work"/rootfs/var/lib/apt/lists/*
tar -C "$work/rootfs" -c . | docker import -c 'CMD ["bash"]' -c 'LABEL org.schema-guard.image-base=true' - "$image" >/dev/null
log "built $image"
