#!/usr/bin/env bash
# Tests and packages the Azure Pipelines task, from a clean checkout:
#   1. builds the six pat-check binaries into task/PatCheckV1/bin/;
#   2. installs the test tools (task-lib, tfx-cli) from task/test/package-lock.json;
#   3. seeds MockTestRunner's Node download folder with Node 24 and 20 (the
#      versions it would download, from the npm registry, on Linux x64; this
#      machine's node elsewhere);
#   4. runs the task tests (node --test);
#   5. builds the extension with tfx (which validates task.json) and checks
#      that the .vsix holds the task and all six binaries and is under 50 MB.
# Needs Go, Node 20+ and npm (with the npm registry); exits non-zero on any failure.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

step() { printf '\n== %s\n' "$*"; }
die() { echo "test-task: $*" >&2; exit 1; }

for tool in go node npm; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done
[[ -n "${HOME:-}" ]] || die "HOME is not set (MockTestRunner keeps its Node under \$HOME)"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

step "building the task's binaries"
scripts/build-task-binaries.sh

step "installing the test tools (npm ci)"
(cd task/test && npm ci --no-audit --no-fund --loglevel=error)

step "installing the handlers' Node versions (npm ci in task/test/handler-nodes)"
# The versions MockTestRunner would download for the Node24 and Node20_1
# handlers, pinned by the lock file to their Linux x64 builds. There they
# must install (npm only warns when an optional dependency fails, say on an
# integrity mismatch); elsewhere the handlers run on this machine's node and
# the tests do not check the major version.
(cd task/test/handler-nodes && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
strict=0
if [[ "$(uname -s)/$(uname -m)" == Linux/x86_64 ]]; then
  strict=1
fi
for major in 24 20; do
  exe="task/test/handler-nodes/node_modules/node${major}-linux-x64/bin/node"
  if [[ -x "$exe" ]]; then
    export "PAT_CHECK_NODE${major}=$root/$exe"
  elif [[ "$strict" == 1 ]]; then
    die "Node ${major} did not install from task/test/handler-nodes (npm ci reported no error: check the registry and the lock file's integrity)"
  else
    echo "the lock file pins Node ${major} for Linux x64 only: on $(uname -s)/$(uname -m) the Node${major} handler runs on $(node --version)"
  fi
done
export PAT_CHECK_STRICT_HANDLER_NODES="$strict"

step "seeding MockTestRunner's Node"
node task/test/seed-node.js

step "running the task tests"
(cd task/test && node --test launcher.test.js task.test.js)

step "building the extension"
vsix="$tmp/pat-check.vsix"
task/test/node_modules/.bin/tfx extension create \
  --manifest-globs vss-extension.json --root task \
  --output-path "$vsix" --no-prompt --no-color
[[ -f "$vsix" ]] || die "tfx made no .vsix"

step "checking the extension"
# "size name" for each file in the .vsix.
list_vsix() {
  if command -v unzip >/dev/null; then
    unzip -l "$1" | awk 'NR > 3 && $1 ~ /^[0-9]+$/ && NF >= 4 { name = $4; for (i = 5; i <= NF; i++) name = name " " $i; print $1, name }'
  elif command -v python3 >/dev/null; then
    python3 -c 'import sys, zipfile
for i in zipfile.ZipFile(sys.argv[1]).infolist(): print(i.file_size, i.filename)' "$1"
  else
    die "neither unzip nor python3 is available to read the .vsix"
  fi
}
list_vsix "$vsix" >"$tmp/listing"

required=(PatCheckV1/task.json PatCheckV1/index.js PatCheckV1/launcher.js)
# shellcheck source=scripts/platforms.sh
source scripts/platforms.sh
for platform in "${PAT_CHECK_PLATFORMS[@]}"; do
  required+=("PatCheckV1/bin/${platform}/pat-check$(pat_check_exe "$platform")")
done

missing=0
for f in "${required[@]}"; do
  size="$(awk -v f="$f" '{ s = $1; $1 = ""; sub(/^ /, ""); if ($0 == f) print s }' "$tmp/listing")"
  if [[ -z "$size" ]]; then
    echo "MISSING  $f" >&2
    missing=1
  elif [[ "$f" == PatCheckV1/bin/* ]]; then
    printf '%10d bytes  %s\n' "$size" "$f"
  fi
done
[[ "$missing" == 0 ]] || die "the .vsix lacks files the task needs"

vsix_size="$(wc -c <"$vsix" | tr -d ' ')"
limit=50000000 # 50 MB
printf '%10d bytes  pat-check.vsix (%d.%d MB; limit 50 MB)\n' "$vsix_size" \
  $((vsix_size / 1000000)) $(((vsix_size % 1000000) / 100000))
((vsix_size <= limit)) || die "the .vsix is ${vsix_size} bytes, over 50 MB"

echo
echo "test-task: ok"
