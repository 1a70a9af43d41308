#!/usr/bin/env bash
# Tests how the GitHub Action's step (scripts/action-run.sh) chooses between
# a release's binary and a build from source, and that the build from source
# survives the job's own Go settings. The runner is imitated: the step runs
# under bash with GITHUB_ACTION_PATH, GITHUB_ACTION_REF and RUNNER_*; a
# "release" is served from a folder through file://, and its binary is a
# stub that says it ran.
#   1. release mode for the release's tag, its major tag, a commit SHA, and a
#      vendored copy (no ref, no git); also with a CRLF release/checksums.txt,
#      a Windows tool cache path (backslashes) and a mirror URL with a
#      trailing /; the ref as a real runner gives it (GITHUB_ACTION_REF
#      empty, the ref only in GITHUB_ACTION_PATH, .../_actions/OWNER/REPO/REF,
#      also with Windows separators); nektos/act, which sets
#      GITHUB_ACTION_REF, runs the action in CI too (scripts/test-act.sh);
#   1b. a runner without sha256sum/shasum or without curl: an ::error that
#      names the tool, and nothing left in the tool cache;
#   2. build from source for a branch that still carries release/ (cut from a
#      release tag; named in GITHUB_ACTION_REF, or only in the runner's path,
#      also a branch with a slash), and for `uses: ./` in a checkout whose HEAD is not the
#      release's tag (and release mode once the tag is on HEAD);
#   3. build from source under a hostile job: a go.work above the checkout,
#      GOFLAGS=-mod=vendor -buildvcs=true, the same in `go env -w`'s file,
#      GOOS/GOARCH of a cross-compiling job, and a checkout owned by
#      another user (when run as root). A plain `go build` there must fail,
#      so the case tests something.
# Needs Go, git, curl and bash. Exits non-zero on any failure.
set -euo pipefail
export LC_ALL=C

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

failures=0
pass() { echo "ok    $*"; }
bad() { echo "FAIL  $*" >&2; failures=$((failures + 1)); }

case "$(uname -s)" in
  Linux) runner_os=Linux ;;
  Darwin) runner_os=macOS ;;
  *) echo "test-action: runs on Linux and macOS" >&2; exit 1 ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) runner_arch=X64 ;;
  aarch64 | arm64) runner_arch=ARM64 ;;
  *) echo "test-action: unsupported machine $(uname -m)" >&2; exit 1 ;;
esac
asset="pat-check_$(go env GOHOSTOS)_$(go env GOHOSTARCH)"

tmp="$(mktemp -d)"
cleanup() { chmod -R u+w "$tmp" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
gocache="$(go env GOCACHE)"
gomodcache="$(go env GOMODCACHE)"
goproxy="$(go env GOPROXY)"

# The release: a stub binary and its sum, where a mirror keeps it
# (PAT_CHECK_DOWNLOAD_URL/vX.Y.Z/ASSET).
mkdir -p "$tmp/download/v1.2.3"
printf '#!/bin/sh\necho "stub release binary ran"\n' >"$tmp/download/v1.2.3/$asset"
chmod 0755 "$tmp/download/v1.2.3/$asset"
sum="$( (sha256sum <"$tmp/download/v1.2.3/$asset" 2>/dev/null || shasum -a 256 <"$tmp/download/v1.2.3/$asset") | cut -d' ' -f1)"

# add_release DIR [crlf]: release/ of v1.2.3 in DIR.
add_release() {
  mkdir -p "$1/release"
  printf '%s  %s\n%s  pat-check_other_os\n' "$sum" "$asset" "$(printf '0%.0s' {1..64})" >"$1/release/checksums.txt"
  printf 'v1.2.3\n' >"$1/release/version"
  if [[ "${2:-}" == crlf ]]; then
    sed -i.bak 's/$/\r/' "$1/release/checksums.txt" "$1/release/version"
    rm -f "$1"/release/*.bak
  fi
}

# A copy of the action alone (release mode needs nothing else).
bare="$tmp/bare/pat-check"
mkdir -p "$bare/scripts"
cp action.yml "$bare/"
cp scripts/action-run.sh "$bare/scripts/"
add_release "$bare"
crlf="$tmp/crlf/pat-check"
mkdir -p "$crlf/scripts"
cp action.yml "$crlf/"
cp scripts/action-run.sh "$crlf/scripts/"
add_release "$crlf" crlf
grep -q $'\r$' "$crlf/release/checksums.txt" || { echo "test-action: the CRLF file has no CR" >&2; exit 1; }

# A copy of the source tree as a runner checks a ref out: the tracked files
# (with the work tree's changes), no .git.
src_copy() {
  mkdir -p "$1"
  git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
    [[ -e "$f" ]] && printf '%s\0' "$f"
  done | tar --null -T - -cf - | tar -xf - -C "$1"
}

# run_step NAME ACTION_PATH [VAR=VALUE...]: runs the step with a fresh tool
# cache; the output is in $tmp/NAME.out, the exit code in $code. The
# variables given override the defaults (PATH, RUNNER_TOOL_CACHE, ...).
run_step() {
  local name="$1" path="$2"
  shift 2
  mkdir -p "$tmp/runner-$name"
  code=0
  env -i PATH="$PATH" HOME="$HOME" GOCACHE="$gocache" GOMODCACHE="$gomodcache" GOPROXY="$goproxy" \
    GITHUB_ACTIONS=true GITHUB_ACTION_PATH="$path" RUNNER_OS="$runner_os" RUNNER_ARCH="$runner_arch" \
    RUNNER_TEMP="$tmp/runner-$name" RUNNER_TOOL_CACHE="$tmp/runner-$name/tool-cache" \
    PAT_CHECK_DOWNLOAD_URL="file://$tmp/download" "$@" \
    "$(command -v bash)" "$path/scripts/action-run.sh" >"$tmp/$name.out" 2>&1 || code=$?
}

# action_copy DIR: a copy of the action alone, with release/ of v1.2.3, in
# DIR; prints DIR.
action_copy() {
  mkdir -p "$1/scripts"
  cp action.yml "$1/"
  cp scripts/action-run.sh "$1/scripts/"
  add_release "$1"
  printf '%s' "$1"
}
# as_runner DIR REF: action_copy where a runner downloads the action for
# `uses: pat-check/pat-check@REF`: DIR/_actions/pat-check/pat-check/REF.
as_runner() { action_copy "$1/_actions/pat-check/pat-check/$2"; }

# expect_release NAME: the stub ran.
expect_release() {
  if grep -q "stub release binary ran" "$tmp/$1.out" && ! grep -q "building from source" "$tmp/$1.out"; then
    pass "$1: the release's binary, checksum verified"
  else
    bad "$1: expected the release's binary (exit $code):"
    sed 's/^/      /' "$tmp/$1.out" >&2
  fi
}

# expect_source NAME: built from source, and the built binary ran (it
# reports the empty token).
expect_source() {
  if grep -q "building from source" "$tmp/$1.out" && grep -q "token-missing" "$tmp/$1.out" &&
    ! grep -q "stub release binary ran" "$tmp/$1.out"; then
    pass "$1: built from source, and it ran"
  else
    bad "$1: expected a build from source that runs (exit $code):"
    sed 's/^/      /' "$tmp/$1.out" >&2
  fi
}

# expect_not_release NAME WHY: not release mode, and the step says why. No
# Go is needed: a copy of the action alone does not build, it only must not
# run the release's binary.
expect_not_release() {
  if ! grep -q "stub release binary ran" "$tmp/$1.out" && grep -qF "$2" "$tmp/$1.out"; then
    pass "$1: not taken for the release ($2)"
  else
    bad "$1: expected no release mode, saying \"$2\" (exit $code):"
    sed 's/^/      /' "$tmp/$1.out" >&2
  fi
}

# expect_missing_tool NAME TEXT: failed with an ::error saying TEXT, and
# nothing left in the tool cache but empty folders.
expect_missing_tool() {
  local left
  left="$(find "$tmp/runner-$1" -type f 2>/dev/null | head -n 3)"
  if [[ "$code" != 0 ]] && grep -q "^::error title=pat-check::.*$2" "$tmp/$1.out" && [[ -z "$left" ]]; then
    pass "$1: fails with an ::error naming what is missing, leaves nothing behind"
  else
    bad "$1: expected an ::error with \"$2\" and an empty tool cache (exit $code; files: ${left:-none}):"
    sed 's/^/      /' "$tmp/$1.out" >&2
  fi
}

echo "== release mode"
run_step tag "$bare" GITHUB_ACTION_REF=v1.2.3
expect_release tag
run_step major "$bare" GITHUB_ACTION_REF=v1
expect_release major
run_step sha "$bare" GITHUB_ACTION_REF=0123456789abcdef0123456789abcdef01234567
expect_release sha
run_step vendored "$bare"
expect_release vendored
run_step crlf "$crlf" GITHUB_ACTION_REF=v1.2.3
expect_release crlf
# RUNNER_TOOL_CACHE on a Windows runner is C:\hostedtoolcache\windows: a
# path with backslashes, which GNU sha256sum escapes when it prints a name.
run_step windows-cache "$bare" GITHUB_ACTION_REF=v1.2.3 \
  RUNNER_TOOL_CACHE="$tmp/runner-windows-cache/C:\hostedtoolcache\windows"
expect_release windows-cache
run_step windows-cache-again "$bare" GITHUB_ACTION_REF=v1.2.3 \
  RUNNER_TOOL_CACHE="$tmp/runner-windows-cache/C:\hostedtoolcache\windows" PAT_CHECK_DOWNLOAD_URL="file:///nonexistent"
expect_release windows-cache-again
run_step mirror-slash "$bare" GITHUB_ACTION_REF=v1.2.3 PAT_CHECK_DOWNLOAD_URL="file://$tmp/download/"
expect_release mirror-slash

echo "== the ref as a real runner gives it: only in GITHUB_ACTION_PATH"
run_step runner-major "$(as_runner "$tmp/runner-layout" v1)" GITHUB_ACTION_REF=
expect_release runner-major
run_step runner-tag "$(as_runner "$tmp/runner-layout" v1.2.3)" GITHUB_ACTION_REF=
expect_release runner-tag
run_step runner-sha "$(as_runner "$tmp/runner-layout" 0123456789abcdef0123456789abcdef01234567)" GITHUB_ACTION_REF=
expect_release runner-sha
# D:\a\_work\_actions\pat-check\pat-check\v1, as one folder name on this
# machine: the step reads it with either separator.
run_step runner-windows "$(action_copy "$tmp/win/D:\a\_work\_actions\pat-check\pat-check\v1")" GITHUB_ACTION_REF=
expect_release runner-windows
run_step runner-branch "$(as_runner "$tmp/runner-layout" fix-from-v1.2.3)" GITHUB_ACTION_REF=
expect_not_release runner-branch "this is the ref 'fix-from-v1.2.3'"
run_step runner-slash "$(as_runner "$tmp/runner-layout" fix/v1.2.3)" GITHUB_ACTION_REF=
expect_not_release runner-slash "this is the ref 'fix/v1.2.3'"

echo "== a runner without the tools release mode needs"
# tools DIR TOOL...: DIR holds links to these tools and nothing else.
tools() {
  local dir="$1" t
  shift
  mkdir -p "$dir"
  for t in "$@"; do ln -sf "$(command -v "$t")" "$dir/$t"; done
}
base_tools=(bash cut tr awk mkdir mktemp rm chmod mv cat)
tools "$tmp/no-sha" "${base_tools[@]}" curl
run_step no-sha "$bare" GITHUB_ACTION_REF=v1.2.3 PATH="$tmp/no-sha"
expect_missing_tool no-sha "neither sha256sum nor shasum"
tools "$tmp/no-curl" "${base_tools[@]}" "$(command -v sha256sum >/dev/null && echo sha256sum || echo shasum)"
run_step no-curl "$bare" GITHUB_ACTION_REF=v1.2.3 PATH="$tmp/no-curl"
expect_missing_tool no-curl "has no curl"

echo "== a ref that is not the release builds from source"
src="$tmp/branch/pat-check"
src_copy "$src"
add_release "$src"
run_step branch "$src" GITHUB_ACTION_REF=fix-from-v1.2.3
expect_source branch
grep -q "release/version names v1.2.3, but this is the ref 'fix-from-v1.2.3'" "$tmp/branch.out" ||
  bad "branch: the step does not say why it builds from source"
run_step other-major "$src" GITHUB_ACTION_REF=v2
expect_source other-major

checkout="$tmp/checkout/pat-check"
src_copy "$checkout"
add_release "$checkout"
git -C "$checkout" init --quiet
git -C "$checkout" add -A
git -C "$checkout" -c user.name=test -c user.email=test@localhost commit --quiet -m "a commit after the release"
run_step checkout-untagged "$checkout"
expect_source checkout-untagged
git -C "$checkout" tag v1.2.3
run_step checkout-tagged "$checkout"
expect_release checkout-tagged

echo "== build from source under a hostile job"
outer="$tmp/hostile"
hostile="$outer/work/pat-check"
src_copy "$hostile"
mkdir -p "$outer/other"
printf 'module example.com/other\n\ngo 1.26\n' >"$outer/other/go.mod"
printf 'go 1.26\n\nuse ./other\n' >"$outer/go.work"
printf 'GOFLAGS=-mod=vendor\nGOOS=windows\nGOARCH=386\n' >"$outer/goenv"
git -C "$hostile" init --quiet
git -C "$hostile" add -A
git -C "$hostile" -c user.name=test -c user.email=test@localhost commit --quiet -m "a checkout"
owner=""
if [[ "$(id -u)" == 0 ]] && id nobody >/dev/null 2>&1; then
  chown -R nobody "$hostile"
  owner=" (owned by nobody)"
fi
hostile_env=(GOFLAGS="-mod=vendor -buildvcs=true" GOOS=windows GOARCH=386 CGO_ENABLED=1)
# Each setting alone breaks a plain build, or the case tests nothing.
for setting in "GOWORK=" "GOFLAGS=-mod=vendor" "GOFLAGS=-buildvcs=true" "GOENV=$outer/goenv"; do
  [[ "$setting" == "GOFLAGS=-buildvcs=true" && -z "$owner" ]] && continue
  if (cd "$hostile" && env -u GOFLAGS -u GOENV GOWORK=off "$setting" go build -o "$tmp/plain" ./cmd/pat-check) >"$tmp/plain.out" 2>&1; then
    bad "hostile: a plain go build with $setting succeeds, so the case proves nothing"
  else
    pass "hostile: a plain go build fails with ${setting/#GOENV=*/GOENV=FILE} ($(grep -m1 -v '^#' "$tmp/plain.out" | cut -c1-60))"
  fi
done
run_step hostile "$hostile" GITHUB_ACTION_REF=main "${hostile_env[@]}"
expect_source hostile
echo "      (go.work above, GOFLAGS=-mod=vendor -buildvcs=true, GOOS=windows GOARCH=386 CGO_ENABLED=1$owner)"
# With GOFLAGS unset, `go env -w` values apply: an empty GOFLAGS would not
# hide them.
run_step hostile-goenv "$hostile" GITHUB_ACTION_REF=main GOENV="$outer/goenv" GOFLAGS=
expect_source hostile-goenv
echo "      (go.work above, go env -w GOFLAGS=-mod=vendor GOOS=windows GOARCH=386)"

echo
if ((failures > 0)); then
  echo "test-action: $failures failed" >&2
  exit 1
fi
echo "test-action: all passed"
