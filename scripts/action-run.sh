#!/usr/bin/env bash
# The GitHub Action's one step: find the pat-check binary for this runner
# and run it. Inputs arrive as INPUT_* variables (see action.yml); nothing
# from an input is ever part of this script's text.
#
# A release ref (@v1, @v1.2.3, or a release commit) carries release/version
# and release/checksums.txt: the binary is downloaded from that release and
# its SHA-256 must match the committed value. Any other ref (a branch,
# `uses: ./`) builds the binary from source with the runner's Go.
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

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

work="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"

if [ -f "$root/release/checksums.txt" ] && [ -f "$root/release/version" ]; then
  version="$(tr -d ' \r\n' < "$root/release/version")"
  case "$version" in
    v[0-9]*) ;;
    *) fail "release/version holds '$version', not a release tag" ;;
  esac
  name="pat-check_${os}_${arch}${exe}"
  want="$(awk -v n="$name" '$2 == n || $2 == "*" n { print $1 }' "$root/release/checksums.txt")"
  [ -n "$want" ] || fail "release/checksums.txt of $version has no checksum for $name"
  dir="${RUNNER_TOOL_CACHE:-$work}/pat-check/$version/${os}_${arch}"
  bin="$dir/pat-check$exe"
  if [ ! -f "$bin" ] || [ "$(sha256 "$bin")" != "$want" ]; then
    mkdir -p "$dir"
    base="${PAT_CHECK_DOWNLOAD_URL:-https://github.com/pat-check/pat-check/releases/download/$version}"
    # No credentials go with the download: it is a public release asset.
    # A file of its own: jobs sharing a tool cache may download at once.
    tmp="$(mktemp "$dir/pat-check.XXXXXX")"
    curl --fail --silent --show-error --location --retry 3 --output "$tmp" "$base/$name" \
      || { rm -f "$tmp"; fail "could not download $name of pat-check $version from $base"; }
    got="$(sha256 "$tmp")"
    if [ "$got" != "$want" ]; then
      rm -f "$tmp"
      fail "the downloaded $name does not match the checksum committed in $version (got $got, want $want): refusing to run it"
    fi
    mv "$tmp" "$bin"
    chmod 0755 "$bin"
  fi
else
  command -v go >/dev/null 2>&1 \
    || fail "this ref of pat-check is not a release, so it builds from source, and the runner has no Go: add actions/setup-go before this step, or use a release (uses: pat-check/pat-check@v1)"
  bin="$work/pat-check-src-$$/pat-check$exe"
  echo "pat-check: building from source (not a release ref)"
  # For this runner, whatever GOOS/GOARCH the job sets for its own builds.
  (cd "$root" && env -u GOOS -u GOARCH CGO_ENABLED=0 go build -trimpath -o "$bin" ./cmd/pat-check) \
    || fail "building pat-check from source failed"
fi

exec "$bin"
