#!/usr/bin/env bash
# Makes the release of the current checkout in dist/ the way the release workflow makes a tag's,
# without publishing anything: the six binaries (linux, darwin, windows × amd64, arm64), their
# archives, checksums.txt, metadata.json and artifacts.json. Its version is the next patch of the
# last tag, marked "-next" (.goreleaser.yaml, snapshot). The tests take their release from here:
# e2e/release_test.go checks the binaries, e2e/action_test.go serves the archives to the action.
#
# The image is left out (--skip=docker): GoReleaser builds it with docker buildx, which the
# project's machines do not have; e2e/image_test.go builds the same Dockerfile from dist/.
#
# Idempotent: every run replaces dist/; with Go's build cache warm it takes seconds.
#
#   scripts/snapshot.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
goreleaser=(go run github.com/goreleaser/goreleaser/v2@v2.15.1)

# GoReleaser reads the commit and its date from git, but gives up on all of it, and stamps
# "none", when the repository has no remote (`git ls-remote --get-url` fails). A clone has one;
# a repository without it gets this checkout as its remote, for this run only (no file changes).
if ! git ls-remote --get-url >/dev/null 2>&1; then
  n=${GIT_CONFIG_COUNT:-0}
  export "GIT_CONFIG_KEY_$n=remote.origin.url" "GIT_CONFIG_VALUE_$n=file://$root" GIT_CONFIG_COUNT=$((n + 1))
fi

start=$(date +%s)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "snapshot: goreleaser release --snapshot --clean --skip=docker"
if ! "${goreleaser[@]}" release --snapshot --clean --skip=docker >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  exit 2
fi
version=$(sed -n 's/.*"version":"\([^"]*\)".*/\1/p' dist/metadata.json)
echo "snapshot: schema-guard $version in dist/ ($(( $(date +%s) - start )) s):"
(cd dist && cat checksums.txt)
