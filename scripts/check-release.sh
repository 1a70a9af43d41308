#!/usr/bin/env bash
# Checks the release without publishing anything, with the very script the
# release workflow's build job runs (scripts/release-assets.sh):
#   1. a snapshot of this commit: goreleaser check, the six binaries,
#      checksums.txt and the .vsix packed from those binaries, checked for
#      names, sums and sizes; the binary for this machine must report the
#      injected snapshot version;
#   2. release mode in a scratch clone: an rc (v1.8.7-rc.1: binaries, no
#      .vsix), then its final tagged on the same commit (the assets must be
#      the final's; extension and task 1.8.7), built twice, the second time
#      with other GOFLAGS and `go env -w` settings: the same checksums.txt,
#      the .vsix included;
#   3. a release of a new major without its task folder is refused; with
#      it (PatCheckV2), the older task folder stays at a higher version.
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

printf '\n== release mode, in a scratch clone: v1.8.7-rc.1, then v1.8.7 on the same commit, built twice\n'
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
git clone --quiet --no-local . "$scratch/repo"
# The work tree's uncommitted changes to what the release is built from.
git diff HEAD --binary | git -C "$scratch/repo" apply --allow-empty
git -C "$scratch/repo" -c user.name=check-release -c user.email=check-release@localhost \
  commit --quiet --allow-empty --all -m "check-release: the work tree"
release() { # release TAG LOG: release mode for TAG in the scratch clone
  PAT_CHECK_RELEASE_TAG="$1" bash "$scratch/repo/scripts/release-assets.sh" >"$scratch/$2" 2>&1 ||
    { tail -40 "$scratch/$2" >&2; die "release mode for $1 failed"; }
}
vsix_version() { # the extension's version in a .vsix's manifest
  node "$scratch/repo/scripts/vsix.js" cat "$1" extension.vsixmanifest | sed -n 's/.*<Identity [^>]*Version="\([^"]*\)".*/\1/p'
}
task_version() { # task_version VSIX FOLDER
  node "$scratch/repo/scripts/vsix.js" cat "$1" "$2/task.json" |
    node -e 'const v = JSON.parse(require("fs").readFileSync(0, "utf8")).version; console.log([v.Major, v.Minor, v.Patch].join("."))'
}

git -C "$scratch/repo" tag v1.8.7-rc.1
release v1.8.7-rc.1 rc.log
out="$("$scratch/repo/dist/$host" --version)"
# "pat-check VERSION (built with goX.Y.Z)": the version is the second word.
read -r _ version _ <<<"$out"
[[ "$version" == "v1.8.7-rc.1" ]] || die "the rc built '$out', not v1.8.7-rc.1"
[[ ! -e "$scratch/repo/dist/pat-check.vsix" ]] || die "the prerelease v1.8.7-rc.1 has a .vsix: it would take the version 1.8.7 from its final"
grep -q 'pat-check.vsix' "$scratch/repo/dist/checksums.txt" && die "the rc's checksums.txt lists a .vsix"
echo "v1.8.7-rc.1: $out, six binaries, no .vsix"

# The final, tagged on the rc's commit (both tags on HEAD: the assets must
# be the final's).
git -C "$scratch/repo" tag v1.8.7
release v1.8.7 final.log
out="$("$scratch/repo/dist/$host" --version)"
read -r _ version _ <<<"$out"
[[ "$version" == "v1.8.7" ]] || die "release mode built '$out', not v1.8.7"
[[ "$(vsix_version "$scratch/repo/dist/pat-check.vsix")" == 1.8.7 ]] || die "the final's extension is not 1.8.7"
[[ "$(task_version "$scratch/repo/dist/pat-check.vsix" PatCheckV1)" == 1.8.7 ]] || die "the final's PatCheckV1 is not 1.8.7"
grep -q '"Minor": 8' "$scratch/repo/task/PatCheckV1/task.json" &&
  die "release mode changed the work tree's task.json"
echo "v1.8.7: $out, extension and PatCheckV1 1.8.7"

# Re-running every job rebuilds: the same sums, the .vsix included, also on
# a machine whose Go settings differ (GOFLAGS in the environment and in
# `go env -w`'s file): the script pins them.
cp "$scratch/repo/dist/checksums.txt" "$scratch/first-checksums.txt"
printf 'GOFLAGS=-buildmode=pie\nCGO_ENABLED=1\n' >"$scratch/goenv"
GOENV="$scratch/goenv" GOFLAGS="-buildvcs=false" release v1.8.7 final-again.log
if ! cmp -s "$scratch/first-checksums.txt" "$scratch/repo/dist/checksums.txt"; then
  diff "$scratch/first-checksums.txt" "$scratch/repo/dist/checksums.txt" >&2 || true
  die "two builds of v1.8.7 differ"
fi
echo "v1.8.7 built twice: the same checksums.txt ($(wc -l <"$scratch/first-checksums.txt" | tr -d ' ') assets)"

printf '\n== a major without its task folder is refused; with it, the older task stays\n'
(cd "$scratch/repo" && bash scripts/pack-vsix.sh dist 2.0.0 "$scratch/v2.vsix") >"$scratch/v2.log" 2>&1 &&
  die "a v2.0.0 extension was packed without task/PatCheckV2"
grep -q "has no task folder task/PatCheckV2" "$scratch/v2.log" || { cat "$scratch/v2.log" >&2; die "no reason given for refusing v2.0.0"; }
cp -R "$scratch/repo/task/PatCheckV1" "$scratch/repo/task/PatCheckV2"
node -e '
  const fs = require("fs"), d = process.argv[1];
  const t = JSON.parse(fs.readFileSync(`${d}/PatCheckV2/task.json`, "utf8"));
  t.version.Major = 2;
  fs.writeFileSync(`${d}/PatCheckV2/task.json`, JSON.stringify(t, null, 2));
  const m = JSON.parse(fs.readFileSync(`${d}/vss-extension.json`, "utf8"));
  m.files.push({ path: "PatCheckV2" });
  m.contributions.push({ id: "pat-check-task-v2", type: "ms.vss-distributed-task.task", targets: ["ms.vss-distributed-task.tasks"], properties: { name: "PatCheckV2" } });
  fs.writeFileSync(`${d}/vss-extension.json`, JSON.stringify(m, null, 2));' "$scratch/repo/task"
(cd "$scratch/repo" && bash scripts/pack-vsix.sh dist 2.0.0 "$scratch/v2.vsix") >"$scratch/v2.log" 2>&1 ||
  { cat "$scratch/v2.log" >&2; die "packing v2.0.0 with task/PatCheckV2 failed"; }
[[ "$(task_version "$scratch/v2.vsix" PatCheckV2)" == 2.0.0 ]] || die "PatCheckV2 is not 2.0.0"
[[ "$(task_version "$scratch/v2.vsix" PatCheckV1)" == 1.2000.0 ]] || die "PatCheckV1 in v2.0.0 is not 1.2000.0 (above every 1.x.y)"
echo "v2.0.0: PatCheckV2 2.0.0, PatCheckV1 kept as 1.2000.0"
echo "release check passed"
