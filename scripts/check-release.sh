#!/usr/bin/env bash
# Checks the release configuration without publishing anything: goreleaser
# validates .goreleaser.yaml, then builds a snapshot of the six release
# binaries (no archives, no checksums, no upload), and each must exist under
# dist/ with its asset name and weigh at most 10 MiB.
#
# Run from anywhere; exits non-zero on any failure. Needs Go and git. Works in
# a fresh clone without tags: a snapshot then counts from v0.0.0. The first
# run downloads and compiles goreleaser (a few minutes); later runs reuse Go's
# module and build caches.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The newest goreleaser the module proxy serves that builds with Go 1.26.
goreleaser_module="github.com/goreleaser/goreleaser/v2@v2.15.1"
max_bytes=$((10 * 1024 * 1024))

goreleaser() { go run "$goreleaser_module" "$@"; }

echo "== goreleaser check"
goreleaser check

echo "== goreleaser build --snapshot --clean"
goreleaser build --snapshot --clean

echo "== release binaries (at most $max_bytes bytes each)"
failed=0
for os in linux darwin windows; do
  for arch in amd64 arm64; do
    exe=""
    [[ "$os" == windows ]] && exe=".exe"
    f="dist/pat-check_${os}_${arch}${exe}"
    if [[ ! -f "$f" ]]; then
      echo "missing: $f" >&2
      failed=1
      continue
    fi
    size=$(wc -c <"$f" | tr -d ' ')
    verdict="ok"
    if ((size > max_bytes)); then
      verdict="TOO LARGE"
      failed=1
    fi
    printf '%-32s %10d bytes  %5.2f MiB  %s\n' "$f" "$size" "$(awk "BEGIN{print $size/1048576}")" "$verdict"
  done
done

# The version must have been injected: run the binary built for this machine.
host="dist/pat-check_$(go env GOOS)_$(go env GOARCH)$(go env GOEXE)"
if [[ -x "$host" ]]; then
  out=$("$host" --version)
  echo "$host --version: $out"
  if [[ "$out" != "pat-check v"*"-snapshot+"* ]]; then
    echo "the snapshot version was not injected: $out" >&2
    failed=1
  fi
fi

if [[ "$failed" != 0 ]]; then
  echo "release check FAILED" >&2
  exit 1
fi
echo "release check passed"
