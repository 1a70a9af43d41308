#!/usr/bin/env bash
# Checks the release without publishing anything, with the very script the
# release workflow's build job runs (scripts/release-assets.sh):
#   1. a snapshot of this commit: goreleaser check, the six binaries,
#      checksums.txt and the .vsix packed from those binaries, checked for
#      names, sums and sizes; the binary for this machine must report the
#      injected snapshot version;
#   2. release mode in a scratch clone where HEAD carries two tags, an
#      earlier rc's and the release's: the assets must be built for the
#      release's tag, not the rc's.
#
# Run from anywhere; exits non-zero on any failure. Needs Go, Node/npm and
# git. Works in a fresh clone without tags: a snapshot then counts from
# v0.0.0. The first run downloads and compiles goreleaser (a few minutes);
# later runs reuse Go's module and build caches.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

die() { echo "check-release: $*" >&2; exit 1; }

bash scripts/release-assets.sh --snapshot

host="pat-check_$(go env GOOS)_$(go env GOARCH)$(go env GOEXE)"
[[ -x "dist/$host" ]] || die "no binary for this machine at dist/$host"
out="$("dist/$host" --version)"
echo "dist/$host --version: $out"
[[ "$out" == "pat-check v"*"-snapshot+"* ]] || die "the snapshot version was not injected: $out"

printf '\n== release mode, in a scratch clone with v9.8.7-rc.1 and v9.8.7 on HEAD\n'
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
git clone --quiet --no-local . "$scratch/repo"
# The work tree's uncommitted changes to what the release is built from.
git diff HEAD --binary | git -C "$scratch/repo" apply --allow-empty
git -C "$scratch/repo" -c user.name=check-release -c user.email=check-release@localhost \
  commit --quiet --allow-empty --all -m "check-release: the work tree"
git -C "$scratch/repo" tag v9.8.7-rc.1
git -C "$scratch/repo" tag v9.8.7
PAT_CHECK_RELEASE_TAG=v9.8.7 bash "$scratch/repo/scripts/release-assets.sh" >"$scratch/release.log" 2>&1 ||
  { tail -40 "$scratch/release.log" >&2; die "release mode failed"; }
out="$("$scratch/repo/dist/$host" --version)"
echo "$host --version: $out"
[[ "$out" == "pat-check v9.8.7" ]] || die "release mode built '$out', not v9.8.7"
grep -q '"Major": 9' "$scratch/repo/task/PatCheckV1/task.json" &&
  die "release mode changed the work tree's task.json"
echo "release check passed"
