#!/usr/bin/env bash
# Builds every asset of a release into dist/, publishing nothing and needing
# no credential:
#   1. goreleaser: the six binaries pat-check_<os>_<arch>[.exe] and
#      checksums.txt;
#   2. the Azure DevOps extension dist/pat-check.vsix, packed by tfx from a
#      staged copy of task/ (the work tree is left as it is) that carries
#      those same six files and a task version that follows the release;
#   3. the extension's sum appended to checksums.txt, and a check that the
#      file lists exactly these seven assets, that each matches, and that the
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
numeric="${version%%[-+]*}" # the task and the extension take three numbers
[[ "$numeric" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "cannot read a version X.Y.Z from '$version'"
echo "version v$version (task and extension $numeric)"
if [[ "$mode" == release && "v$version" != "$tag" ]]; then
  die "goreleaser built v$version, not $tag"
fi

step "staging the task with the release's binaries"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/task"
cp task/vss-extension.json task/overview.md "$stage/task/"
cp -R task/PatCheckV1 "$stage/task/"
rm -rf "$stage/task/PatCheckV1/bin" "$stage/task/PatCheckV1/node_modules"
for platform in "${PAT_CHECK_PLATFORMS[@]}"; do
  exe="$(pat_check_exe "$platform")"
  mkdir -p "$stage/task/PatCheckV1/bin/$platform"
  cp "dist/pat-check_$platform$exe" "$stage/task/PatCheckV1/bin/$platform/pat-check$exe"
  chmod 0755 "$stage/task/PatCheckV1/bin/$platform/pat-check$exe"
done
# Agents cache tasks by id and version: a new release must carry a new one.
TASK_JSON="$stage/task/PatCheckV1/task.json" VERSION="$numeric" node -e '
  const fs = require("fs"), p = process.env.TASK_JSON;
  const [Major, Minor, Patch] = process.env.VERSION.split(".").map(Number);
  const t = JSON.parse(fs.readFileSync(p, "utf8"));
  t.version = { Major, Minor, Patch };
  fs.writeFileSync(p, JSON.stringify(t, null, 2) + "\n");'

step "tfx extension create"
# tfx comes from task/test's lock file, installed without running any
# package's install scripts.
(cd task/test && npm ci --no-audit --no-fund --loglevel=error --ignore-scripts)
task/test/node_modules/.bin/tfx extension create \
  --root "$stage/task" --manifest-globs vss-extension.json \
  --override "{\"version\": \"$numeric\"}" \
  --output-path dist/pat-check.vsix --no-prompt --no-color
[[ -s dist/pat-check.vsix ]] || die "tfx made no .vsix"

step "the extension carries the release's binaries"
# Print one member of a zip file (the .vsix) to stdout.
zip_member() {
  if command -v unzip >/dev/null; then
    unzip -p "$1" "$2"
  elif command -v python3 >/dev/null; then
    python3 -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' "$1" "$2"
  else
    die "neither unzip nor python3 is available to read the .vsix"
  fi
}
for platform in "${PAT_CHECK_PLATFORMS[@]}"; do
  exe="$(pat_check_exe "$platform")"
  b="pat-check_$platform$exe"
  member="PatCheckV1/bin/$platform/pat-check$exe"
  packed="$(zip_member dist/pat-check.vsix "$member" | sha256sum | cut -d' ' -f1)"
  built="$(sha256sum <"dist/$b" | cut -d' ' -f1)"
  [[ "$packed" == "$built" ]] || die "the .vsix's $member is not dist/$b"
  echo "$member = $b"
done
task_version="$(zip_member dist/pat-check.vsix PatCheckV1/task.json |
  node -e 'const v = JSON.parse(require("fs").readFileSync(0, "utf8")).version; console.log(`${v.Major}.${v.Minor}.${v.Patch}`)')"
[[ "$task_version" == "$numeric" ]] || die "the packed task.json has version $task_version, not $numeric"
echo "PatCheckV1/task.json version $task_version"

step "checksums.txt and sizes"
(cd dist && sha256sum pat-check.vsix >>checksums.txt)
listed="$(awk '{ sub(/^\*/, "", $2); print $2 }' dist/checksums.txt | sort)"
expected="$(printf '%s\n' "${binaries[@]}" pat-check.vsix | sort)"
[[ "$listed" == "$expected" ]] || die "checksums.txt lists
$listed
instead of
$expected"
(cd dist && sha256sum --check --strict checksums.txt)

failed=0
for f in "${binaries[@]}" pat-check.vsix; do
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
