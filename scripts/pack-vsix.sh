#!/usr/bin/env bash
# Packs the Azure DevOps extension (.vsix) from given binaries, byte for byte
# the same on every run with the same inputs:
#   1. stages task/: the manifest, overview.md, LICENSE, the icon, and every
#      task folder task/PatCheckV<N>/ without what the agent does not need
#      (.gitignore, package.json, node_modules, bin/), each with the six
#      binaries under bin/<os>_<arch>/;
#   2. stamps each task's version (below) and the extension's VERSION;
#   3. packs with tfx, then rewrites the zip's entry times from
#      SOURCE_DATE_EPOCH (default: HEAD's commit time) and normalizes it
#      (scripts/vsix.js), since tfx stamps the current time;
#   4. checks that OUT carries exactly those binaries and versions.
#
# Usage: scripts/pack-vsix.sh BINARIES VERSION OUT
#   BINARIES  a folder holding pat-check_<os>_<arch>[.exe] (dist/ of goreleaser)
#   VERSION   the release X.Y.Z (numeric: a prerelease ships no .vsix)
#   OUT       the .vsix to write
#
# Task versions. Agents cache a task by id and version, and one extension
# carries one folder per supported major, all with the task's one id. For
# the release X.Y.Z:
#   - task/PatCheckV<X> gets X.Y.Z; a release of major X needs that folder;
#   - an older major's folder PatCheckV<N> (N < X), which stays so that
#     PatCheck@N keeps working, gets N.(1000*X + Y).Z: above every N.Y.Z
#     release of its own major (Y < 1000), and rising with every later one;
#   - a folder newer than X is refused.
# Needs Node/npm (tfx comes from task/test's lock file) and git.
set -euo pipefail
export LC_ALL=C

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
die() { echo "pack-vsix: $*" >&2; exit 1; }

[[ $# == 3 ]] || die "usage: scripts/pack-vsix.sh BINARIES VERSION OUT"
bins="$(cd "$1" && pwd)" || die "no folder $1"
version="$2"
out="$3"
[[ "$version" =~ ^([0-9]+)\.([0-9]+)\.([0-9]+)$ ]] ||
  die "VERSION is '$version', not X.Y.Z (a prerelease ships no .vsix)"
major="${BASH_REMATCH[1]}"
minor="${BASH_REMATCH[2]}"
((minor < 1000)) || die "minor version $minor: task versions of older majors need it below 1000"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac

cd "$root"
# shellcheck source=scripts/platforms.sh
source scripts/platforms.sh
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct HEAD)}"

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/task/images"
cp task/vss-extension.json task/overview.md LICENSE "$stage/task/"
cp task/images/icon.png "$stage/task/images/"

folders=()
for dir in task/PatCheckV*/; do
  folder="$(basename "$dir")"
  n="${folder#PatCheckV}"
  [[ "$n" =~ ^[0-9]+$ ]] || die "task/$folder is not PatCheckV<major>"
  ((n <= major)) || die "task/$folder is newer than the release $version"
  folders+=("$folder")
  cp -R "$dir" "$stage/task/$folder"
  rm -rf "$stage/task/$folder/bin" "$stage/task/$folder/node_modules" \
    "$stage/task/$folder/.gitignore" "$stage/task/$folder/package.json" "$stage/task/$folder/package-lock.json"
  for platform in "${PAT_CHECK_PLATFORMS[@]}"; do
    exe="$(pat_check_exe "$platform")"
    [[ -f "$bins/pat-check_$platform$exe" ]] || die "no $bins/pat-check_$platform$exe"
    mkdir -p "$stage/task/$folder/bin/$platform"
    cp "$bins/pat-check_$platform$exe" "$stage/task/$folder/bin/$platform/pat-check$exe"
    chmod 0755 "$stage/task/$folder/bin/$platform/pat-check$exe"
  done
done
[[ -d "$stage/task/PatCheckV$major" ]] ||
  die "the release $version has no task folder task/PatCheckV$major: copy the newest one (same id, Major $major) and list it in vss-extension.json; the older ones stay"

# task_version FOLDER: the version that folder's task gets in this release.
task_version() {
  local n="${1#PatCheckV}"
  if ((n == major)); then
    echo "$version"
  else
    echo "$n.$((1000 * major + minor)).${version##*.}"
  fi
}

for folder in "${folders[@]}"; do
  TASK_JSON="$stage/task/$folder/task.json" VERSION="$(task_version "$folder")" FOLDER="$folder" node -e '
    const fs = require("fs"), p = process.env.TASK_JSON;
    const [Major, Minor, Patch] = process.env.VERSION.split(".").map(Number);
    const t = JSON.parse(fs.readFileSync(p, "utf8"));
    if (t.version.Major !== Major) {
      console.error(`pack-vsix: ${process.env.FOLDER}/task.json has Major ${t.version.Major}, not ${Major}`);
      process.exit(1);
    }
    t.version = { Major, Minor, Patch };
    fs.writeFileSync(p, JSON.stringify(t, null, 2) + "\n");'
done

tfx="task/test/node_modules/.bin/tfx"
if [[ ! -x "$tfx" ]]; then
  (cd task/test && npm ci --no-audit --no-fund --loglevel=error --ignore-scripts)
fi
rm -f "$out"
"$tfx" extension create --root "$stage/task" --manifest-globs vss-extension.json \
  --override "{\"version\": \"$version\"}" --output-path "$out" --no-prompt --no-color >"$stage/tfx.log" 2>&1 ||
  { cat "$stage/tfx.log" >&2; die "tfx extension create failed"; }
[[ -s "$out" ]] || die "tfx made no .vsix"
node scripts/vsix.js normalize "$out"

# The packed file is what was staged: every binary, every task version.
vsix() { node scripts/vsix.js "$@"; }
for folder in "${folders[@]}"; do
  for platform in "${PAT_CHECK_PLATFORMS[@]}"; do
    exe="$(pat_check_exe "$platform")"
    packed="$(vsix cat "$out" "$folder/bin/$platform/pat-check$exe" | sha256sum | cut -d' ' -f1)"
    built="$(sha256sum <"$bins/pat-check_$platform$exe" | cut -d' ' -f1)"
    [[ "$packed" == "$built" ]] || die "the .vsix's $folder/bin/$platform/pat-check$exe is not $bins/pat-check_$platform$exe"
  done
  got="$(vsix cat "$out" "$folder/task.json" |
    node -e 'const v = JSON.parse(require("fs").readFileSync(0, "utf8")).version; console.log([v.Major, v.Minor, v.Patch].join("."))')"
  [[ "$got" == "$(task_version "$folder")" ]] || die "the packed $folder/task.json has version $got, not $(task_version "$folder")"
  echo "pack-vsix: $folder: task version $got, six binaries"
done
echo "pack-vsix: $out: extension version $version, entries dated $(date -u -d "@$SOURCE_DATE_EPOCH" +%FT%TZ 2>/dev/null || echo "$SOURCE_DATE_EPOCH")"
