#!/usr/bin/env bash
# Tests and packages the Azure Pipelines task, from a clean checkout:
#   1. builds the six pat-check binaries into each task/PatCheckV*/bin/;
#   2. installs the test tools (task-lib, tfx-cli) from task/test/package-lock.json;
#   3. seeds MockTestRunner's Node download folder with Node 24 and 20 (the
#      versions it would download, from the npm registry, on Linux x64; this
#      machine's node elsewhere);
#   4. runs the task tests (node --test);
#   5. builds the extension twice with scripts/pack-vsix.sh (tfx validates
#      task.json) and compares the bytes; checks that the .vsix holds every
#      task folder with all six binaries, the icon and the license, nothing
#      the agent does not need, and is under 50 MB;
#   6. makes a copy for another publisher (scripts/vsix-for-publisher.sh)
#      and checks its publisher, task ids and the rest of its content.
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

step "building the extension twice (scripts/pack-vsix.sh): the same bytes"
major="$(find task -maxdepth 1 -name 'PatCheckV*' | sed 's/.*PatCheckV//' | sort -n | tail -n 1)"
vsix="$tmp/pat-check.vsix"
bash scripts/pack-vsix.sh task/bin "$major.0.0" "$vsix"
sleep 2 # tfx stamps the time: a later second must not show
bash scripts/pack-vsix.sh task/bin "$major.0.0" "$tmp/again.vsix"
sum1="$(sha256sum "$vsix" | cut -d' ' -f1)"
sum2="$(sha256sum "$tmp/again.vsix" | cut -d' ' -f1)"
[[ "$sum1" == "$sum2" ]] || die "two builds of the .vsix differ: $sum1, $sum2"
echo "both builds: sha256 $sum1"

step "checking the extension"
node scripts/vsix.js list "$vsix" >"$tmp/listing"

# shellcheck source=scripts/platforms.sh
source scripts/platforms.sh
required=(extension.vsixmanifest images/icon.png LICENSE overview.md)
for dir in task/PatCheckV*/; do
  folder="$(basename "$dir")"
  required+=("$folder/task.json" "$folder/index.js" "$folder/launcher.js" "$folder/icon.png")
  for platform in "${PAT_CHECK_PLATFORMS[@]}"; do
    required+=("$folder/bin/${platform}/pat-check$(pat_check_exe "$platform")")
  done
done

missing=0
for f in "${required[@]}"; do
  size="$(awk -v f="$f" '{ s = $1; $1 = ""; sub(/^ /, ""); if ($0 == f) print s }' "$tmp/listing")"
  if [[ -z "$size" ]]; then
    echo "MISSING  $f" >&2
    missing=1
  elif [[ "$f" == */bin/* ]]; then
    printf '%10d bytes  %s\n' "$size" "$f"
  fi
done
[[ "$missing" == 0 ]] || die "the .vsix lacks files the task needs"
# Nothing the agent does not need.
if grep -E '(^| |/)(\.gitignore|package(-lock)?\.json|node_modules/?)( |/|$)' "$tmp/listing" >&2; then
  die "the .vsix carries files the task does not need (above)"
fi
node scripts/vsix.js cat "$vsix" extension.vsixmanifest | grep -q '<Icon>images/icon.png</Icon>' ||
  die "the extension has no icon"
node scripts/vsix.js cat "$vsix" extension.vsixmanifest | grep -q 'Path="LICENSE"' ||
  die "the extension has no license"

vsix_size="$(wc -c <"$vsix" | tr -d ' ')"
limit=50000000 # 50 MB
printf '%10d bytes  pat-check.vsix (%d.%d MB; limit 50 MB)\n' "$vsix_size" \
  $((vsix_size / 1000000)) $(((vsix_size % 1000000) / 100000))
((vsix_size <= limit)) || die "the .vsix is ${vsix_size} bytes, over 50 MB"

step "a copy for another publisher (scripts/vsix-for-publisher.sh)"
original_id="$(node -p 'require("./task/PatCheckV1/task.json").id')"
# UUIDv5 of "contoso-tools" in the namespace of the task's id, computed
# independently (Python's uuid.uuid5) when the id was chosen.
[[ "$original_id" == 3f5399dc-0087-4d56-be67-0597f4807820 ]] || die "the task's id changed: $original_id"
want_id=2fc5a8f0-0613-52df-9624-88ce82b040a6
bash scripts/vsix-for-publisher.sh contoso-tools "$vsix" "$tmp/contoso.vsix"
bash scripts/vsix-for-publisher.sh contoso-tools "$vsix" "$tmp/contoso-again.vsix"
cmp -s "$tmp/contoso.vsix" "$tmp/contoso-again.vsix" || die "two copies for one publisher differ"
node scripts/vsix.js cat "$tmp/contoso.vsix" extension.vsixmanifest | grep -q '<Identity [^>]*Publisher="contoso-tools"' ||
  die "the copy's manifest does not name the publisher contoso-tools"
for dir in task/PatCheckV*/; do
  folder="$(basename "$dir")"
  got="$(node scripts/vsix.js cat "$tmp/contoso.vsix" "$folder/task.json" | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).id')"
  [[ "$got" == "$want_id" ]] || die "the copy's $folder/task.json has the id $got, not $want_id"
done
other="$(node scripts/vsix.js task-id fabrikam "$original_id")"
[[ "$other" != "$want_id" && "$other" != "$original_id" ]] || die "another publisher gets the same task id"
# The rest is the release's, byte for byte.
node scripts/vsix.js list "$tmp/contoso.vsix" | awk '{ print $2 }' | while read -r f; do
  case "$f" in extension.vsixmanifest | */task.json | */) continue ;; esac
  cmp -s <(node scripts/vsix.js cat "$vsix" "$f") <(node scripts/vsix.js cat "$tmp/contoso.vsix" "$f") ||
    die "the copy's $f differs from the original's"
done
echo "contoso-tools: publisher and task id $want_id; every other file the original's"
if bash scripts/vsix-for-publisher.sh 'bad"name' "$vsix" "$tmp/bad.vsix" 2>/dev/null; then
  die "a publisher id with a quote was accepted"
fi

echo
echo "test-task: ok"
