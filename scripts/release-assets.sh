#!/usr/bin/env bash
# Builds every asset of a release into dist/, publishing nothing and needing
# no credential:
#   1. goreleaser: the six binaries pat-check_<os>_<arch>[.exe] and
#      checksums.txt;
#   2. the Azure DevOps extension dist/pat-check.vsix, packed from those same
#      six files by scripts/pack-vsix.sh (byte-reproducible; the work tree is
#      left as it is), with task versions that follow the release; a
#      prerelease (vX.Y.Z-rc.N) has none, so that only its final carries
#      X.Y.Z;
#   3. the extension's sum appended to checksums.txt, and a check that the
#      file lists exactly these assets, that each matches, and that the
#      sizes stay within budget (10 MB a binary, 50 MB the extension).
#
# Usage: scripts/release-assets.sh [--snapshot]
#   without --snapshot: a release of the tag PAT_CHECK_RELEASE_TAG (vX.Y.Z or
#   vX.Y.Z-pre), which must point at HEAD; the binaries must report exactly
#   that version (the release workflow's build job, which then hands dist/
#   to the job that publishes);
#   --snapshot: the same from any commit, versioned vX.Y.Z-snapshot+SHA
#   (scripts/check-release.sh, in CI).
# goreleaser validates .goreleaser.yaml first. Needs Go, Node/npm and git;
# exits non-zero on any failure.
set -euo pipefail
export LC_ALL=C

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# The same bytes on every machine: no `go env -w` file (GOENV=off), no
# GOFLAGS, go.work or cgo from the caller's environment. The commit is
# stamped (-buildvcs=true: `pat-check version` names it).
export GOENV=off GOWORK=off CGO_ENABLED=0 GOFLAGS="-buildvcs=true -mod=readonly"

die() { echo "release-assets: $*" >&2; exit 1; }
step() { printf '\n== %s\n' "$*"; }

mode=release
case "${1:-}" in
  --snapshot) mode=snapshot ;;
  "") ;;
  *) die "unknown argument '$1' (usage: scripts/release-assets.sh [--snapshot])" ;;
esac

# The newest goreleaser the module proxy serves that builds with Go 1.26.
goreleaser() { go run github.com/goreleaser/goreleaser/v2@v2.15.1 "$@"; }
max_binary=10000000 # 10 MB
max_vsix=50000000  # 50 MB

# shellcheck source=scripts/platforms.sh
source scripts/platforms.sh
binaries=()
for platform in "${PAT_CHECK_PLATFORMS[@]}"; do
  binaries+=("pat-check_${platform}$(pat_check_exe "$platform")")
done

step "goreleaser check"
goreleaser check

if [[ "$mode" == snapshot ]]; then
  step "goreleaser release --clean --snapshot (builds and sums; publishing is disabled)"
  goreleaser release --clean --snapshot
else
  tag="${PAT_CHECK_RELEASE_TAG:-}"
  [[ "$tag" =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$ ]] ||
    die "PAT_CHECK_RELEASE_TAG is '$tag', not a release tag vX.Y.Z[-pre]"
  [[ "$(git rev-parse -q --verify "refs/tags/$tag^{commit}" || true)" == "$(git rev-parse HEAD)" ]] ||
    die "the tag $tag does not point at HEAD"
  # goreleaser would pick any tag on HEAD (an earlier rc's, say): name it.
  step "goreleaser release --clean for $tag (builds and sums; publishing is disabled)"
  GORELEASER_CURRENT_TAG="$tag" goreleaser release --clean
fi

# The version goreleaser stamped, as the binaries report it: v1.2.3,
# v1.2.3-rc.1 or v0.0.1-snapshot+abc1234.
version="$(node -p 'require("./dist/metadata.json").version')"
[[ -n "$version" ]] || die "dist/metadata.json has no version"
if [[ "$mode" == release && "v$version" != "$tag" ]]; then
  die "goreleaser built v$version, not $tag"
fi

# The extension and its tasks take three numbers, and agents cache a task
# by id and version: a prerelease (vX.Y.Z-rc.N) ships no .vsix, so that
# its final X.Y.Z is the only build ever to carry that version. A snapshot
# packs one all the same (to check the packing), under its X.Y.Z, or, in a
# clone without tags (v0.0.x), under the newest task folder's major.0.0.
vsix=yes
numeric="${version%%[-+]*}"
[[ "$numeric" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "cannot read a version X.Y.Z from '$version'"
if [[ "$mode" == release && "$version" == *-* ]]; then
  vsix=no
elif [[ "$mode" == snapshot && ! -d "task/PatCheckV${numeric%%.*}" ]]; then
  newest="$(find task -maxdepth 1 -name 'PatCheckV*' | sed 's/.*PatCheckV//' | sort -n | tail -n 1)"
  numeric="$newest.0.0"
fi

if [[ "$vsix" == yes ]]; then
  step "the extension (scripts/pack-vsix.sh), version $numeric"
  export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct HEAD)}"
  bash scripts/pack-vsix.sh dist "$numeric" dist/pat-check.vsix
  assets=("${binaries[@]}" pat-check.vsix)
else
  step "no extension: v$version is a prerelease (the final release's .vsix carries $numeric)"
  assets=("${binaries[@]}")
fi

step "checksums.txt and sizes"
if [[ "$vsix" == yes ]]; then
  (cd dist && sha256sum pat-check.vsix >>checksums.txt)
fi
listed="$(awk '{ sub(/^\*/, "", $2); print $2 }' dist/checksums.txt | sort)"
expected="$(printf '%s\n' "${assets[@]}" | sort)"
[[ "$listed" == "$expected" ]] || die "checksums.txt lists
$listed
instead of
$expected"
(cd dist && sha256sum --check --strict checksums.txt)

failed=0
for f in "${assets[@]}"; do
  size="$(wc -c <"dist/$f" | tr -d ' ')"
  limit="$max_binary"
  [[ "$f" == *.vsix ]] && limit="$max_vsix"
  verdict="ok"
  if ((size > limit)); then
    verdict="TOO LARGE (limit $limit)"
    failed=1
  fi
  printf '%-30s %10d bytes  %5.2f MiB  %s\n' "$f" "$size" "$(awk "BEGIN{print $size/1048576}")" "$verdict"
done
[[ "$failed" == 0 ]] || die "an asset is over its size budget"

echo
echo "release-assets: dist/ holds the release v$version"
