#!/usr/bin/env bash
# The GitHub Action's one step: find the pat-check binary for this runner
# and run it. Inputs arrive as INPUT_* variables (see action.yml); nothing
# from an input is ever part of this script's text.
#
# A release commit carries release/version and release/checksums.txt. When
# the ref being run is that release (see is_release below), the binary is
# downloaded from it and its SHA-256 must match the committed value. Any
# other ref (a branch, a branch cut from a release tag that still carries
# release/, `uses: ./` in a checkout of pat-check) builds the binary from
# source with the runner's Go.
set -euo pipefail

fail() {
  # A workflow command, so that the reason shows on the run's page.
  echo "::error title=pat-check::$1"
  exit 1
}

root="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set: this script runs as the step of the pat-check action}"

case "${RUNNER_OS:-}" in
  Linux) os=linux ;;
  macOS) os=darwin ;;
  Windows) os=windows ;;
  *) fail "unsupported runner OS '${RUNNER_OS:-}': pat-check runs on Linux, macOS and Windows runners" ;;
esac
case "${RUNNER_ARCH:-}" in
  X64) arch=amd64 ;;
  ARM64) arch=arm64 ;;
  *) fail "unsupported runner architecture '${RUNNER_ARCH:-}' on ${RUNNER_OS}: pat-check runs on X64 and ARM64 runners" ;;
esac
exe=""
[ "$os" = windows ] && exe=".exe"

# sha256 FILE: the file's SHA-256 in hex. The file is read from standard
# input: given a path holding a backslash (RUNNER_TOOL_CACHE is
# C:\hostedtoolcache\windows on Windows runners), GNU sha256sum escapes the
# name and puts a backslash before the hash.
sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum <"$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 <"$1" | cut -d' ' -f1
  else
    return 127
  fi
}
have_sha256() { command -v sha256sum >/dev/null 2>&1 || command -v shasum >/dev/null 2>&1; }

work="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"

# action_ref: the ref the workflow named in `uses: OWNER/REPO@REF`. A real
# runner does not set GITHUB_ACTION_REF in a composite action's run steps
# (actions/runner issue 2473), but it downloads the action to
# RUNNER_WORK/_actions/OWNER/REPO/REF (actions/runner,
# src/Runner.Worker/ActionManager.cs), which is GITHUB_ACTION_PATH; a ref
# with slashes (a branch feature/x) makes nested folders. Runners that do
# set GITHUB_ACTION_REF (nektos/act) are taken at their word. Empty for a
# local `uses: ./path`.
action_ref() {
  if [ -n "${GITHUB_ACTION_REF:-}" ]; then
    printf '%s' "$GITHUB_ACTION_REF"
    return
  fi
  local p="${root//\\//}"
  p="${p%/}"
  case "$p" in
    */_actions/*/*/?*)
      p="${p##*/_actions/}"
      p="${p#*/}"
      printf '%s' "${p#*/}"
      ;;
  esac
}

# is_release: whether this copy of the action is the release that
# release/version names, judged from the ref the workflow asked for
# (action_ref: v1.2.3, v1, a commit SHA, a branch; empty for a local
# `uses: ./path`):
#   - the release's own tag (v1.2.3), or its major tag (v1);
#   - a full commit SHA: taken as the release commit it is documented to be;
#   - empty, in a git checkout of pat-check: only when the release's tag
#     points at the checked-out commit; empty elsewhere (a copy of a release
#     vendored into another repository): yes;
#   - anything else (a branch cut from a release tag keeps release/): no.
# Sets version. A trailing CR (a checkout made with core.autocrlf) is ignored.
is_release() {
  [ -f "$root/release/checksums.txt" ] && [ -f "$root/release/version" ] || return 1
  version="$(tr -d ' \r\n' < "$root/release/version")"
  case "$version" in
    v[0-9]*) ;;
    *) fail "release/version holds '$version', not a release tag" ;;
  esac
  ref="$(action_ref)"
  ref="${ref#refs/tags/}"
  case "$ref" in
    "$version" | "${version%%.*}") return 0 ;;
    "") ;;
    *)
      if [ "${#ref}" -eq 40 ] || [ "${#ref}" -eq 64 ]; then
        case "$ref" in *[!0-9a-f]*) ;; *) return 0 ;; esac
      fi
      echo "pat-check: release/version names $version, but this is the ref '$ref': not that release"
      return 1
      ;;
  esac
  [ -e "$root/.git" ] || return 0
  local head tagged
  head="$(git -C "$root" rev-parse -q --verify 'HEAD^{commit}' 2>/dev/null || true)"
  tagged="$(git -C "$root" rev-parse -q --verify "refs/tags/$version^{commit}" 2>/dev/null || true)"
  if [ -n "$head" ] && [ "$head" = "$tagged" ]; then
    return 0
  fi
  echo "pat-check: release/version names $version, but this checkout is not that release's commit"
  return 1
}

if is_release; then
  name="pat-check_${os}_${arch}${exe}"
  want="$(awk -v n="$name" '{ sub(/\r$/, "") } $2 == n || $2 == "*" n { print $1 }' "$root/release/checksums.txt")"
  [ -n "$want" ] || fail "release/checksums.txt of $version has no checksum for $name"
  dir="${RUNNER_TOOL_CACHE:-$work}/pat-check/$version/${os}_${arch}"
  bin="$dir/pat-check$exe"
  have_sha256 \
    || fail "the runner has neither sha256sum nor shasum, so the release's binary cannot be verified: install coreutils (sha256sum) or perl (shasum) on the runner, or use a ref that builds from source"
  if [ ! -f "$bin" ] || [ "$(sha256 "$bin")" != "$want" ]; then
    command -v curl >/dev/null 2>&1 \
      || fail "the runner has no curl, so the release's binary cannot be downloaded: install curl on the runner (e.g. apt-get install curl), or use a ref that builds from source"
    mkdir -p "$dir"
    # A mirror (PAT_CHECK_DOWNLOAD_URL) holds each release under its tag,
    # as the release's own download URL does: BASE/vX.Y.Z/ASSET.
    mirror="${PAT_CHECK_DOWNLOAD_URL:-}"
    if [ -n "$mirror" ]; then
      base="${mirror%/}/$version"
    else
      base="https://github.com/pat-check/pat-check/releases/download/$version"
    fi
    # No credentials go with the download: it is a public release asset.
    # A file of its own: jobs sharing a tool cache may download at once;
    # removed whatever ends the step before it is in place.
    tmp="$(mktemp "$dir/pat-check.XXXXXX")"
    trap 'rm -f "$tmp"' EXIT
    curl --fail --silent --show-error --location --retry 3 --output "$tmp" "$base/$name" \
      || fail "could not download $name of pat-check $version from $base (curl exit $?)"
    got="$(sha256 "$tmp")"
    if [ "$got" != "$want" ]; then
      fail "the downloaded $name does not match the checksum committed in $version (got $got, want $want): refusing to run it"
    fi
    chmod 0755 "$tmp"
    mv "$tmp" "$bin"
    trap - EXIT
  fi
else
  command -v go >/dev/null 2>&1 \
    || fail "this ref of pat-check is not a release, so it builds from source, and the runner has no Go: add actions/setup-go before this step, or use a release (uses: pat-check/pat-check@v1)"
  bin="$work/pat-check-src-$$/pat-check$exe"
  echo "pat-check: building from source (not a release ref)"
  # For this runner, and in this module alone, whatever the job sets for its
  # own builds, in its environment or with `go env -w`: GOOS/GOARCH of a
  # cross-compiling job, a go.work above the checkout, GOFLAGS such as
  # -mod=vendor or -race. An empty variable would let `go env -w` values
  # through, so each is set to a value. No VCS stamping: a checkout owned by
  # another user (container jobs) makes git, and so go build, fail.
  (cd "$root" && GOOS="$os" GOARCH="$arch" GOWORK=off GOFLAGS=-mod=readonly GO111MODULE=on CGO_ENABLED=0 \
    go build -trimpath -buildvcs=false -o "$bin" ./cmd/pat-check) \
    || fail "building pat-check from source failed"
fi

exec "$bin"
