#!/usr/bin/env bash
# Checks the release without publishing anything: goreleaser validates
# .goreleaser.yaml, then scripts/release-assets.sh --snapshot builds every
# asset exactly as the release workflow's build job does (the six binaries,
# checksums.txt, the .vsix packed from those same binaries) and checks their
# names, sums and sizes; finally the binary for this machine must report the
# injected snapshot version.
#
# Run from anywhere; exits non-zero on any failure. Needs Go, Node/npm and
# git. Works in a fresh clone without tags: a snapshot then counts from
# v0.0.0. The first run downloads and compiles goreleaser (a few minutes);
# later runs reuse Go's module and build caches.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

echo "== goreleaser check"
go run github.com/goreleaser/goreleaser/v2@v2.15.1 check

bash scripts/release-assets.sh --snapshot

host="dist/pat-check_$(go env GOOS)_$(go env GOARCH)$(go env GOEXE)"
[[ -x "$host" ]] || { echo "check-release: no binary for this machine at $host" >&2; exit 1; }
out="$("$host" --version)"
echo "$host --version: $out"
if [[ "$out" != "pat-check v"*"-snapshot+"* ]]; then
  echo "check-release: the snapshot version was not injected: $out" >&2
  exit 1
fi
echo "release check passed"
