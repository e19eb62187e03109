#!/usr/bin/env bash
# Builds the GitHub Action's image (Dockerfile) on a machine without a container registry, with the
# base images it needs made here from Debian packages:
#
#   golang:1.26-bookworm        build base: Debian bookworm minbase, git, CA certificates and this
#                               machine's Go toolchain (/usr/local/go)
#   debian:bookworm-slim        runtime base: Debian bookworm minbase, git, CA certificates; also the
#                               job container of the end-to-end test (act -P ubuntu-latest=…)
#   schema-guard-action:local   the Dockerfile built on those two (and :build-stage, its build
#                               stage, which act's build of the action reuses)
#
# The bases carry the Dockerfile's default names, so a plain `docker build .` and act's build of
# the action work unchanged. An image of one of those names that this script did not make (an
# official one, where a registry is reachable) is left alone and used.
# Idempotent: bases built from this very recipe are reused, and Docker's layer cache makes the
# action image's rebuild a no-op while the sources are unchanged.
#
#   scripts/action-images.sh            bases and action image, then `docker run … version`
#   scripts/action-images.sh bases      only the bases
set -euo pipefail

what=${1:-all}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
go_image=golang:1.26-bookworm
runtime_image=debian:bookworm-slim
action_image=schema-guard-action:local
build_stage=schema-guard-action:build-stage
log() { echo "action-images: $*"; }

command -v docker >/dev/null || { echo "action-images: docker is not installed (scripts/test-env.sh installs it)" >&2; exit 2; }
[ -x /usr/local/go/bin/go ] || { echo "action-images: no Go toolchain at /usr/local/go" >&2; exit 2; }

# This network intercepts HTTPS with a CA of its own that only this machine's trust store holds, so
# `go mod download` in a build container fails with "x509: certificate signed by unknown
# authority" unless the build base trusts what this machine trusts. (Plain HTTP to the Debian
# mirror works from containers as it is.) The bundle is part of the recipe: a new CA rebuilds.
ca_bundle=/etc/ssl/certs/ca-certificates.crt
[ -s "$ca_bundle" ] || { echo "action-images: no CA bundle at $ca_bundle" >&2; exit 2; }
# The recipe is the part of this script between the BEGIN and END lines below, the bundle and the
# toolchain: editing the action image's part does not rebuild the bases.
recipe=$( { sed -n '/^# BEGIN base recipe/,/^# END base recipe/p' "$here/action-images.sh"; cat "$ca_bundle"
  /usr/local/go/bin/go version; } | sha256sum | cut -c1-16)

label() { docker image inspect -f '{{index .Config.Labels "org.schema-guard.recipe"}}' "$1" 2>/dev/null || true; }
exists() { docker image inspect "$1" >/dev/null 2>&1; }

# ours IMAGE: the image is missing or was made by this script, so this script may (re)make it.
ours() { ! exists "$1" || [ -n "$(label "$1")" ]; }

# BEGIN base recipe
need_bases=
for image in "$go_image" "$runtime_image"; do
  if ours "$image" && [ "$(label "$image")" != "$recipe" ]; then need_bases=1; fi
done

if [ -z "$need_bases" ]; then
  log "$go_image and $runtime_image are up to date (recipe $recipe)"
else
  # The mirror apt already uses: deb822 sources first, then the one-line format.
  mirror=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
  if [ -z "$mirror" ]; then
    mirror=$(grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
  fi
  [ -n "$mirror" ] || { echo "action-images: cannot find the Debian mirror apt uses" >&2; exit 2; }
  command -v debootstrap >/dev/null || { echo "action-images: debootstrap is not installed (scripts/test-env.sh installs it)" >&2; exit 2; }

  bases=$(mktemp -d)
  trap 'rm -rf "$bases"' EXIT
  rootfs=$bases/rootfs
  # One debootstrap serves both bases: the runtime base is the plain root file system, the build
  # base is the same plus Go.
  log "debootstrap bookworm (git, ca-certificates) from $mirror"
  debootstrap --variant=minbase --include=git,ca-certificates bookworm "$rootfs" "$mirror" \
    >"$bases/debootstrap.log" 2>&1 || { tail -n 20 "$bases/debootstrap.log" >&2; exit 2; }
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*

  if ours "$runtime_image"; then
    log "importing $runtime_image"
    tar -C "$rootfs" -c . | docker import -c 'CMD ["bash"]' \
      -c "LABEL org.schema-guard.recipe=$recipe org.schema-guard.action-base=true" - "$runtime_image" >/dev/null
  fi
  if ours "$go_image"; then
    log "importing $go_image ($(/usr/local/go/bin/go version | awk '{print $3}'))"
    cp -a /usr/local/go "$rootfs/usr/local/go"
    cp "$ca_bundle" "$rootfs/etc/ssl/certs/ca-certificates.crt"
    mkdir -p "$rootfs/go"
    # The environment of the official golang image; GOTOOLCHAIN=local keeps go from fetching
    # another toolchain when go.mod asks for a newer one (the build then fails and says so).
    tar -C "$rootfs" -c . | docker import \
      -c 'ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      -c 'ENV GOPATH=/go' -c 'ENV GOTOOLCHAIN=local' -c 'WORKDIR /go' -c 'CMD ["bash"]' \
      -c "LABEL org.schema-guard.recipe=$recipe org.schema-guard.action-base=true" - "$go_image" >/dev/null
  fi
  rm -rf "$bases"
  log "built the bases (recipe $recipe)"
fi
# END base recipe
[ "$what" = all ] || exit 0

# The action image. Docker's layer cache decides what is up to date: nothing but the final
# `version` run happens when neither the sources nor the bases changed. No --build-arg VERSION:
# act and the runner build the action without build arguments, and so does this build, so that
# each reuses the other's layers (another VERSION would compile again).
#
# The context travels the way act's does for a local action: into a container, and out again as
# a tar that the Docker daemon writes. The legacy builder's cache key of a COPY depends on how the
# context's tar headers were written, and the docker CLI writes them differently from the daemon:
# with the CLI's context here, act's build in the end-to-end test would compile for another
# minute. The helper image applies .dockerignore exactly as `docker build "$root"` would.
before=$(docker image inspect -f '{{.Id}}' "$action_image" 2>/dev/null || true)
log "docker build $action_image"
start=$(date +%s)
work=$(mktemp -d)
helper= cid=
cleanup() {
  [ -z "$cid" ] || docker rm -f "$cid" >/dev/null 2>&1 || true
  [ -z "$helper" ] || docker image rm "$helper" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
printf 'FROM %s\nCOPY . /ctx\n' "$runtime_image" >"$work/Dockerfile.context"
helper=$(docker build -q -f "$work/Dockerfile.context" "$root" 2>"$work/context.log") ||
  { cat "$work/context.log" >&2; exit 2; }
cid=$(docker create "$helper" true)
# The Dockerfile and .dockerignore are left out of COPY (.dockerignore names them), but the
# build needs them in its context.
docker cp "$root/Dockerfile" "$cid:/ctx/Dockerfile"
docker cp "$root/.dockerignore" "$cid:/ctx/.dockerignore"
docker cp "$cid:/ctx/." - | docker build --force-rm -t "$action_image" - >"$work/build.log" 2>&1 ||
  { tail -n 30 "$work/build.log" >&2; exit 2; }
# The build stage under a name of its own (from the cache, at once): it is the compiled layer act's
# build reuses, and the name keeps it from the prune below.
docker cp "$cid:/ctx/." - | docker build --target build -t "$build_stage" - >"$work/build.log" 2>&1 ||
  { tail -n 30 "$work/build.log" >&2; exit 2; }
after=$(docker image inspect -f '{{.Id}}' "$action_image")
if [ -n "$before" ] && [ "$before" != "$after" ]; then
  # The replaced image; it fails, harmlessly, while another tag (act's) still names it.
  docker image rm "$before" >/dev/null 2>&1 || true
fi
# Every source change leaves the previous build stage behind untagged (~30 MB), and new bases
# leave the old ones. Images built on any version of these bases inherit their action-base label;
# the untagged ones are such leftovers, the current ones are named.
docker image prune -f --filter "label=org.schema-guard.action-base" >/dev/null
if [ "$before" = "$after" ]; then
  log "$action_image is unchanged ($(( $(date +%s) - start )) s)"
else
  log "$action_image built in $(( $(date +%s) - start )) s"
fi
docker run --rm "$action_image" version
