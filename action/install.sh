#!/usr/bin/env bash
# Puts the schema-guard binary of the action's own ref on the runner, for action.yml: the release
# archive for the runner's OS and architecture, verified against the release's checksums.txt and
# kept in the runner's tool cache, or — for a ref without a release (a branch, a commit that no
# release tag points at, a local `uses: ./`) — a build from the action's own source.
#
# Reads (action.yml passes them; GITHUB_ACTION_PATH and the RUNNER_* come from the runner):
#   SG_ACTION_REF         the ref of `uses: owner/repo@REF`: v1, v1.2.3, a branch or a commit SHA
#   SG_ACTION_REPOSITORY  owner/repo of the action
#   SG_SERVER_URL         the GitHub server (github.server_url): releases are downloaded from
#                         $SG_SERVER_URL/$SG_ACTION_REPOSITORY/releases/download/<tag>/, tags are
#                         read from the git repository at $SG_SERVER_URL/$SG_ACTION_REPOSITORY
#   GITHUB_ACTION_PATH, RUNNER_OS, RUNNER_ARCH, RUNNER_TOOL_CACHE, RUNNER_TEMP
# Writes the outputs path (the binary), version and source (cache, release or build) to
# $GITHUB_OUTPUT, or to stdout when that is unset. Exit 1, with an ::error:: line, when there is
# no binary to run: a checksum that does not match, no release and no Go toolchain to build one.
set -euo pipefail

log() { echo "schema-guard setup: $*"; }
fail() { echo "::error title=schema-guard setup::$*"; exit 1; }
output() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "$1=$2" >>"$GITHUB_OUTPUT"; else echo "$1=$2"; fi
}

action_path=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
ref=${SG_ACTION_REF:-}
repo=${SG_ACTION_REPOSITORY:-}
server=${SG_SERVER_URL:-https://github.com}
server=${server%/}
# The runner keeps a remote action in _actions/<owner>/<repo>/<ref>/; where github.action_ref and
# github.action_repository come out empty (actions/runner#2473: composite actions), the path says.
if [ -z "$ref" ] || [ -z "$repo" ]; then
  case "${action_path//\\//}" in
    */_actions/*/*/*)
      rest=${action_path//\\//}
      rest=${rest##*/_actions/}
      IFS=/ read -r owner name at _ <<<"$rest"
      [ -n "$repo" ] || repo=$owner/$name
      [ -n "$ref" ] || ref=$at
      ;;
  esac
fi

case "${RUNNER_OS:-}" in
  Linux) os=linux ;;
  macOS) os=darwin ;;
  Windows) os=windows ;;
  *) os= ;;
esac
# act reports Go's names (amd64, arm64) where GitHub says X64 and ARM64.
case "${RUNNER_ARCH:-}" in
  X64 | amd64) arch=amd64 ;;
  ARM64 | arm64) arch=arm64 ;;
  *) arch= ;;
esac
exe=schema-guard
[ "$os" != windows ] || exe=schema-guard.exe

tmp_root=${RUNNER_TEMP:-${TMPDIR:-/tmp}}
work=$(mktemp -d "$tmp_root/schema-guard-setup.XXXXXX")
trap 'rm -rf "$work"' EXIT

# A release version: v1.2.3 or v1.2.3-rc.1, as the release workflow tags them.
is_version() { [[ $1 =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; }

# release_tag prints the release tag of the action's ref, or nothing: the ref itself when it is a
# version, else the highest version tag on the commit the ref names (a moving major tag such as
# v1, or a commit SHA), read from the repository's tags without the API (no token, no rate limit).
release_tag() {
  if is_version "$ref"; then echo "$ref"; return; fi
  [ -n "$ref" ] && [ -n "$repo" ] || return 0
  local refs
  if ! refs=$(GIT_TERMINAL_PROMPT=0 git ls-remote --tags "$server/$repo" 2>"$work/ls-remote.err"); then
    log "cannot read the tags of $server/$repo: $(tail -n 1 "$work/ls-remote.err")" >&2
    return 0
  fi
  # Each tag's commit: the peeled line (name^{}) of an annotated tag wins over the tag object.
  local commits
  commits=$(awk '{ n = $2; sub("^refs/tags/", "", n); if (n ~ /\^\{\}$/) { sub(/\^\{\}$/, "", n); peeled[n] = $1 } else if (!(n in plain)) plain[n] = $1 }
    END { for (n in plain) print (n in peeled ? peeled[n] : plain[n]), n }' <<<"$refs")
  local target
  if [[ $ref =~ ^[0-9a-f]{40}$ ]]; then
    target=$ref
  else
    target=$(awk -v r="$ref" '$2 == r { print $1 }' <<<"$commits")
  fi
  [ -n "$target" ] || return 0
  # Releases before pre-releases, then the highest version.
  awk -v c="$target" '$1 == c { print $2 }' <<<"$commits" | while read -r tag; do
    if is_version "$tag"; then
      case $tag in *-*) echo "0 $tag" ;; *) echo "1 $tag" ;; esac
    fi
  done | sort -k1,1n -k2,2V | tail -n 1 | cut -d' ' -f2
}

sha256() {
  if command -v sha256sum >/dev/null; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

extract() { # archive dir
  case $1 in
    *.zip)
      if command -v unzip >/dev/null; then unzip -q "$1" -d "$2"
      elif command -v 7z >/dev/null; then 7z x -bd -y "-o$2" "$1" >/dev/null
      else powershell -NoProfile -Command "Expand-Archive -LiteralPath '$1' -DestinationPath '$2'"; fi ;;
    *) tar -xzf "$1" -C "$2" ;;
  esac
}

# download_release TAG: installs the release's binary in the tool cache and sets bin, or returns 1
# when the release has no such archive (a tag pushed before its release was published).
download_release() {
  local tag=$1 version=${1#v}
  local archive=schema-guard_${version}_${os}_${arch}.tar.gz
  [ "$os" != windows ] || archive=schema-guard_${version}_${os}_${arch}.zip
  local cache=${RUNNER_TOOL_CACHE:-$tmp_root}/schema-guard/$version/$arch
  # The tool cache's layout (@actions/tool-cache): the directory counts once <arch>.complete exists.
  if [ -f "$cache.complete" ] && [ -x "$cache/$exe" ]; then
    bin=$cache/$exe source=cache
    log "$("$bin" version) from the tool cache ($cache)"
    return 0
  fi
  local base=$server/$repo/releases/download/$tag
  log "downloading $archive from $base"
  if ! curl -fsSL --retry 3 --connect-timeout 10 -o "$work/checksums.txt" "$base/checksums.txt" 2>"$work/curl.err" ||
    ! curl -fsSL --retry 3 --connect-timeout 10 -o "$work/$archive" "$base/$archive" 2>>"$work/curl.err"; then
    log "no release asset to download: $(tail -n 1 "$work/curl.err")"
    return 1
  fi
  local want got
  want=$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1 }' "$work/checksums.txt")
  [ -n "$want" ] || fail "checksums.txt of $tag has no line for $archive; refusing to run an unverified binary"
  got=$(sha256 "$work/$archive")
  [ "$got" = "$want" ] || fail "$archive does not match checksums.txt of $tag (sha256 $got, want $want); refusing to run it"
  mkdir -p "$work/x"
  extract "$work/$archive" "$work/x"
  [ -f "$work/x/$exe" ] || fail "$archive holds no $exe"
  # Into place in one rename, then marked complete: a job that dies halfway leaves no half cache.
  rm -rf "$cache" "$cache.complete"
  if ! { mkdir -p "$(dirname "$cache")" && mv "$work/x" "$cache" && chmod +x "$cache/$exe" && touch "$cache.complete"; }; then
    fail "cannot write the tool cache $cache"
  fi
  bin=$cache/$exe source=release
  log "$("$bin" version), sha256 $got verified against checksums.txt of $tag"
}

# build_from_source: the action's own checkout holds the source of its ref.
build_from_source() {
  command -v go >/dev/null ||
    fail "no release for ${ref:-this local action} and no Go toolchain to build one: use a release tag (@v1), or add actions/setup-go (go-version-file: go.mod of schema-guard) before this step"
  log "no release for ${ref:-this local action}; building from source with $(go version | cut -d' ' -f3) (about a minute)"
  local stamp=()
  [[ ! $ref =~ ^[0-9a-f]{40}$ ]] || stamp=(-ldflags "-X main.commit=$ref")
  (cd "$action_path" && CGO_ENABLED=0 go build -trimpath "${stamp[@]}" -o "$work/out/$exe" ./cmd/schema-guard) ||
    fail "building schema-guard from $action_path failed"
  local dir=$tmp_root/schema-guard-build
  rm -rf "$dir" && mkdir -p "$dir" && mv "$work/out/$exe" "$dir/$exe"
  bin=$dir/$exe source=build
  log "$("$bin" version), built from $action_path"
}

bin='' source='' tag=''
if [ -n "$os" ] && [ -n "$arch" ]; then
  tag=$(release_tag)
else
  log "no release binary for runner ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}"
fi
if [ -n "$tag" ]; then
  download_release "$tag" || build_from_source
else
  build_from_source
fi
output path "$bin"
output version "$("$bin" version)"
output source "$source"
