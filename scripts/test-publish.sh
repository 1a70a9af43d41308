#!/usr/bin/env bash
# Tests scripts/publish-release.sh, the release workflow's publish job,
# against a bare origin and a stand-in for gh that keeps releases in a
# folder (drafts, assets, Latest) and can fail an upload once:
#   1. v1.2.0, with the upload failing half-way: the tag and releases/v1
#      are pushed, the release stays a draft, v1 does not move;
#   2. the re-run completes it: published with every asset, v1 on the
#      release commit, the tag where it was;
#   3. a third run changes nothing;
#   4. v1.3.0 from a later main commit: its release commit has that commit
#      and the previous release commit as parents, releases/v1 moves
#      forward only, v1 follows, v1.2.0 stays;
#   5. v1.2.0 again from another commit: refused, nothing moves;
#   6. a backport v1.2.1 built from releases/v1: neither Latest nor v1.
# Needs git and bash. Exits non-zero on any failure.
set -euo pipefail
export LC_ALL=C

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
failures=0
pass() { echo "ok    $*"; }
bad() { echo "FAIL  $*" >&2; failures=$((failures + 1)); }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export GIT_CONFIG_GLOBAL="$tmp/gitconfig" GIT_CONFIG_NOSYSTEM=1
git config --global user.name test
git config --global user.email test@localhost
git config --global init.defaultBranch main
git config --global advice.detachedHead false

# The stand-in for gh: release TAG lives in $GH_STATE/TAG (draft, latest,
# assets/). GH_FAIL_UPLOAD names a file whose presence makes the next
# upload stop after its first asset.
mkdir -p "$tmp/bin" "$tmp/gh"
cat >"$tmp/bin/gh" <<'EOF'
#!/usr/bin/env bash
set -euo pipefail
[[ "$1" == release ]] || { echo "gh stand-in: $*" >&2; exit 2; }
sub="$2" tag="$3"
shift 3
d="$GH_STATE/$tag"
case "$sub" in
  view)
    [[ -d "$d" ]] || { echo "release not found" >&2; exit 1; }
    printf '%s\t%s\n' "$(cat "$d/draft")" "$(ls "$d/assets" | tr '\n' ' ' | sed 's/ $//')"
    ;;
  create)
    [[ ! -d "$d" ]] || { echo "a release with the same tag name already exists: $tag" >&2; exit 1; }
    git ls-remote --exit-code "$GH_ORIGIN" "refs/tags/$tag" >/dev/null || { echo "tag $tag doesn't exist in the repo" >&2; exit 1; }
    [[ " $* " == *" --draft "* ]] || { echo "gh stand-in: created without --draft" >&2; exit 1; }
    mkdir -p "$d/assets"
    echo true >"$d/draft"
    echo "$*" >"$d/flags"
    ;;
  upload)
    [[ "$(cat "$d/draft")" == true ]] || { echo "HTTP 422: Cannot upload assets to an immutable release." >&2; exit 1; }
    for f in "$@"; do
      [[ "$f" == --clobber ]] && continue
      cp "$f" "$d/assets/"
      if [[ -e "$GH_FAIL_UPLOAD" ]]; then rm -f "$GH_FAIL_UPLOAD"; echo "upload cut short" >&2; exit 1; fi
    done
    ;;
  edit)
    for a in "$@"; do
      case "$a" in
        --draft=false) echo false >"$d/draft" ;;
        --latest=*) echo "${a#--latest=}" >"$d/latest" ;;
      esac
    done
    ;;
  *) echo "gh stand-in: release $sub" >&2; exit 2 ;;
esac
EOF
chmod +x "$tmp/bin/gh"
export PATH="$tmp/bin:$PATH" GH_STATE="$tmp/gh" GH_FAIL_UPLOAD="$tmp/fail-upload" GH_ORIGIN="$tmp/origin.git"

# The repository: this tree's files on main, with a changelog section per
# release, and its bare origin.
repo="$tmp/repo"
mkdir -p "$repo"
(cd "$root" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
  [[ -e "$f" ]] && printf '%s\0' "$f"
done | tar --null -T - -cf -) | tar -xf - -C "$repo"
rm -rf "$repo/release"
git -C "$repo" init --quiet
changelog() { # changelog VERSION...: a CHANGELOG.md with these sections
  { echo "# Changelog"; echo; echo "## [Unreleased]"; for v in "$@"; do echo; echo "## [$v] - 2026-12-06"; echo; echo "- Changes of $v."; done; } >"$repo/CHANGELOG.md"
}
changelog 1.2.0
git -C "$repo" add -A
git -C "$repo" commit --quiet -m "main for v1.2.0"
git clone --quiet --bare "$repo" "$tmp/origin.git"
git -C "$repo" remote add origin "$tmp/origin.git"
git -C "$repo" fetch --quiet origin

# assets DIR TAG: stand-in assets and their checksums.txt.
assets() {
  mkdir -p "$1"
  # shellcheck source=scripts/platforms.sh
  source "$root/scripts/platforms.sh"
  local names=() p
  for p in "${PAT_CHECK_PLATFORMS[@]}"; do names+=("pat-check_${p}$(pat_check_exe "$p")"); done
  [[ "$2" == *-* ]] || names+=(pat-check.vsix)
  for p in "${names[@]}"; do printf '%s of %s\n' "$p" "$2" >"$1/$p"; done
  (cd "$1" && sha256sum "${names[@]}" >checksums.txt)
}

# publish NAME TAG SOURCE: runs the script in the repository; output in
# $tmp/NAME.out, exit code in $code.
publish() {
  code=0
  (cd "$repo" && bash scripts/publish-release.sh "$2" "$3" "$tmp/assets-$2") >"$tmp/$1.out" 2>&1 || code=$?
}
remote() { git -C "$tmp/origin.git" rev-parse -q --verify "$1" || true; }
show() { sed 's/^/      /' "$tmp/$1.out" >&2; }

main1="$(git -C "$repo" rev-parse HEAD)"
assets "$tmp/assets-v1.2.0" v1.2.0

echo "== v1.2.0, the upload cut short, then re-run"
touch "$GH_FAIL_UPLOAD"
publish first v1.2.0 "$main1"
tag1="$(remote 'refs/tags/v1.2.0^{commit}')"
if [[ "$code" != 0 && -n "$tag1" && "$(remote refs/heads/releases/v1)" == "$tag1" && -z "$(remote refs/tags/v1)" &&
  "$(cat "$GH_STATE/v1.2.0/draft")" == true ]]; then
  pass "cut short: tag and releases/v1 pushed, the release a draft, v1 not moved"
else
  bad "cut short: exit $code, tag '$tag1', v1 '$(remote refs/tags/v1)'"; show first
fi
publish second v1.2.0 "$main1"
if [[ "$code" == 0 && "$(remote 'refs/tags/v1.2.0^{commit}')" == "$tag1" && "$(remote 'refs/tags/v1^{commit}')" == "$tag1" &&
  "$(cat "$GH_STATE/v1.2.0/draft")" == false && "$(cat "$GH_STATE/v1.2.0/latest")" == true &&
  "$(find "$GH_STATE/v1.2.0/assets" -type f | wc -l | tr -d ' ')" == 8 ]]; then
  pass "re-run: published with its 8 assets and Latest, v1 on the release commit, the tag unmoved"
else
  bad "re-run: exit $code"; show second
fi
git -C "$repo" fetch --quiet --force origin "+refs/tags/*:refs/tags/*"
if [[ "$(git -C "$repo" rev-parse "v1.2.0^1")" == "$main1" &&
  "$(git -C "$repo" show v1.2.0:release/checksums.txt)" == "$(cat "$tmp/assets-v1.2.0/checksums.txt")" &&
  "$(git -C "$repo" show v1.2.0:release/version)" == v1.2.0 && "$(git -C "$repo" cat-file -t v1.2.0)" == tag ]] &&
  git -C "$repo" diff --quiet "$main1" v1.2.0 -- . ':!release'; then
  pass "the release commit: main's tree plus release/, its parent the built commit, an annotated tag"
else
  bad "the release commit of v1.2.0 is not main's tree plus release/ on top of $main1"
fi
grep -q -- "--notes-file" "$GH_STATE/v1.2.0/flags" || bad "the release was created without the changelog's notes"
publish third v1.2.0 "$main1"
if [[ "$code" == 0 && "$(remote 'refs/tags/v1.2.0^{commit}')" == "$tag1" && "$(remote refs/heads/releases/v1)" == "$tag1" ]] &&
  grep -q "is published with every asset" "$tmp/third.out"; then
  pass "a third run changes nothing"
else
  bad "third run: exit $code"; show third
fi

echo "== v1.3.0 from a later main commit"
changelog 1.3.0 1.2.0
git -C "$repo" checkout --quiet main
git -C "$repo" commit --quiet -am "main for v1.3.0"
git -C "$repo" push --quiet origin main
main2="$(git -C "$repo" rev-parse HEAD)"
assets "$tmp/assets-v1.3.0" v1.3.0
publish v130 v1.3.0 "$main2"
tag2="$(remote 'refs/tags/v1.3.0^{commit}')"
git -C "$repo" fetch --quiet --force origin "+refs/tags/*:refs/tags/*"
if [[ "$code" == 0 && "$(git -C "$repo" rev-parse "$tag2^1")" == "$main2" && "$(git -C "$repo" rev-parse "$tag2^2")" == "$tag1" &&
  "$(remote refs/heads/releases/v1)" == "$tag2" && "$(remote 'refs/tags/v1^{commit}')" == "$tag2" &&
  "$(remote 'refs/tags/v1.2.0^{commit}')" == "$tag1" ]]; then
  pass "v1.3.0: parents main and v1.2.0's release commit; releases/v1 and v1 moved forward; v1.2.0 stays"
else
  bad "v1.3.0: exit $code"; show v130
fi

echo "== a tag that exists elsewhere is never moved"
publish again v1.2.0 "$main2"
if [[ "$code" != 0 && "$(remote 'refs/tags/v1.2.0^{commit}')" == "$tag1" && "$(remote 'refs/tags/v1^{commit}')" == "$tag2" ]] &&
  grep -q "tags are never moved" "$tmp/again.out"; then
  pass "v1.2.0 from another commit: refused, nothing moved"
else
  bad "v1.2.0 again: exit $code"; show again
fi

echo "== a backport from releases/v1"
git -C "$repo" checkout --quiet -B backport "$tag2"
changelog 1.2.1 1.3.0 1.2.0
git -C "$repo" commit --quiet -am "a fix for v1.2.1"
git -C "$repo" push --quiet origin HEAD:refs/heads/releases/v1
fix="$(git -C "$repo" rev-parse HEAD)"
assets "$tmp/assets-v1.2.1" v1.2.1
publish backport v1.2.1 "$fix"
tag3="$(remote 'refs/tags/v1.2.1^{commit}')"
if [[ "$code" == 0 && -n "$tag3" && "$(git -C "$tmp/origin.git" rev-list --parents -n 1 "$tag3" | wc -w | tr -d ' ')" == 2 &&
  "$(remote refs/heads/releases/v1)" == "$tag3" && "$(remote 'refs/tags/v1^{commit}')" == "$tag2" &&
  "$(cat "$GH_STATE/v1.2.1/latest")" == false ]]; then
  pass "v1.2.1: one parent (the fix on releases/v1), not Latest, v1 stays on v1.3.0"
else
  bad "backport: exit $code"; show backport
fi

echo
if ((failures > 0)); then
  echo "test-publish: $failures failed" >&2
  exit 1
fi
echo "test-publish: all passed"
