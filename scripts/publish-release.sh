#!/usr/bin/env bash
# Publishes a release whose assets scripts/release-assets.sh built: the
# release workflow's publish job runs it, with git and gh only.
#
# Usage: scripts/publish-release.sh TAG SOURCE ASSETS
#   TAG     vX.Y.Z or vX.Y.Z-pre
#   SOURCE  the commit the assets were built from
#   ASSETS  the folder holding checksums.txt and the assets it lists
# Environment: REMOTE (default origin); gh's own (GH_TOKEN, GH_REPO).
#
# Each step first looks at what is already there, so a re-run after a
# publish that stopped half-way completes it, and a re-run of a finished
# one changes nothing:
#   1. checks the assets against checksums.txt;
#   2. the release commit: SOURCE's tree plus release/checksums.txt and
#      release/version, its first parent SOURCE (what `vX.Y.Z^` names) and,
#      when SOURCE does not descend from it, the tip of releases/vMAJOR as
#      its second, so that the branch only moves forward and holds every
#      release commit of the major. Its dates are SOURCE's: the same inputs
#      make the same commit;
#   3. pushes releases/vMAJOR and the tag vX.Y.Z on it together (atomic).
#      The tag is created once and never moved: when it exists, it must
#      name this release commit, or nothing is published;
#   4. the GitHub release: created as a draft, the assets uploaded, then
#      published (a draft that an earlier run left gets the missing assets;
#      a published release must already hold every asset);
#   5. the major tag vMAJOR, for the newest final release of its major, is
#      moved onto the release commit, last: it never names a release users
#      cannot download. "Latest" goes to the newest final release overall.
# Exits non-zero on any failure, having changed nothing that a re-run
# would not finish.
set -euo pipefail
export LC_ALL=C

die() { echo "::error title=publish-release::$*" >&2; exit 1; }
step() { printf '\n== %s\n' "$*"; }

[[ $# -eq 3 ]] || die "usage: scripts/publish-release.sh TAG SOURCE ASSETS"
tag="$1" remote="${REMOTE:-origin}"
assets="$(cd "$3" && pwd)" || die "no folder $3"
[[ "$tag" =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$ ]] || die "'$tag' is not a release tag vX.Y.Z[-pre]"
source="$(git rev-parse --verify "$2^{commit}")" || die "no commit $2"
major="${tag%%.*}"
branch="releases/$major"
prerelease=false
[[ "$tag" == *-* ]] && prerelease=true

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/platforms.sh
source "$root/scripts/platforms.sh"
files=(checksums.txt)
# A prerelease has no .vsix (scripts/release-assets.sh).
[[ "$prerelease" == true ]] || files+=(pat-check.vsix)
for platform in "${PAT_CHECK_PLATFORMS[@]}"; do
  files+=("pat-check_${platform}$(pat_check_exe "$platform")")
done

step "the assets against checksums.txt"
(cd "$assets" && sha256sum --check --strict checksums.txt)
for f in "${files[@]}"; do
  [[ -f "$assets/$f" ]] || die "$f is not among the assets"
done

step "the release commit"
export GIT_AUTHOR_NAME='github-actions[bot]' GIT_COMMITTER_NAME='github-actions[bot]'
export GIT_AUTHOR_EMAIL='41898282+github-actions[bot]@users.noreply.github.com'
export GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
GIT_AUTHOR_DATE="$(git log -1 --format=%cI "$source")"
export GIT_AUTHOR_DATE GIT_COMMITTER_DATE="$GIT_AUTHOR_DATE"

git fetch --quiet "$remote" "+refs/tags/*:refs/tags/*" "+refs/heads/$branch:refs/remotes/$remote/$branch" 2>/dev/null ||
  git fetch --quiet "$remote" "+refs/tags/*:refs/tags/*"
tip="$(git rev-parse -q --verify "refs/remotes/$remote/$branch^{commit}" || true)"

index="$(mktemp)"
trap 'rm -f "$index"' EXIT
GIT_INDEX_FILE="$index" git read-tree "$source"
for f in checksums.txt version; do
  if [[ "$f" == version ]]; then
    blob="$(printf '%s\n' "$tag" | git hash-object -w --stdin)"
  else
    blob="$(git hash-object -w "$assets/checksums.txt")"
  fi
  GIT_INDEX_FILE="$index" git update-index --add --cacheinfo "100644,$blob,release/$f"
done
tree="$(GIT_INDEX_FILE="$index" git write-tree)"
parents=(-p "$source")
if [[ -n "$tip" ]] && ! git merge-base --is-ancestor "$tip" "$source"; then
  parents+=(-p "$tip")
fi

existing="$(git rev-parse -q --verify "refs/tags/$tag^{commit}" || true)"
if [[ -n "$existing" ]]; then
  # An earlier run made it: it must be this release's commit.
  [[ "$(git rev-parse "$existing^{tree}")" == "$tree" && "$(git rev-parse "$existing^1")" == "$source" ]] ||
    die "the tag $tag already exists on $existing, which is not the release commit of $source with these assets: tags are never moved; release another version"
  commit="$existing"
  echo "$tag exists: the release commit $commit"
else
  commit="$(git commit-tree "$tree" "${parents[@]}" -m "Release $tag: binary checksums for the action

Built from $source; release/checksums.txt lists the SHA-256 of each asset of
the GitHub release $tag, which the action checks its download against.")"
  git tag --annotate "$tag" -m "pat-check $tag" "$commit"
  echo "the release commit $commit, on $(git rev-list --parents -n 1 "$commit" | cut -d' ' -f2-)"
fi

step "$branch and $tag"
if [[ -n "$tip" ]] && git merge-base --is-ancestor "$commit" "$tip"; then
  echo "$branch already holds $commit"
  git ls-remote --exit-code "$remote" "refs/tags/$tag" >/dev/null || git push "$remote" "refs/tags/$tag"
elif [[ -n "$tip" ]] && ! git merge-base --is-ancestor "$tip" "$commit"; then
  die "$branch moved on since (to $tip) without $commit"
else
  git push --atomic "$remote" "$commit:refs/heads/$branch" "refs/tags/$tag"
fi

step "Latest and the major tag"
# The newest final release overall is GitHub's "Latest"; the newest of its
# major gets vMAJOR. A prerelease gets neither, nor does a backport (v1.1.9
# after v1.2.0, or v1.3.0 after v2.0.0 for Latest).
finals() { git tag -l "$1" | { grep -E '^v[0-9]+\.[0-9]+\.[0-9]+$' || true; } | sort -V | tail -n 1; }
latest=false move_major=false
if [[ "$prerelease" == false ]]; then
  [[ "$(finals 'v*')" == "$tag" ]] && latest=true
  [[ "$(finals "$major.*")" == "$tag" ]] && move_major=true
fi
echo "latest=$latest move_major=$move_major"

step "the GitHub release $tag"
paths=("${files[@]/#/$assets/}")
if ! state="$(gh release view "$tag" --json isDraft,assets --jq '[.isDraft, ([.assets[].name] | join(" "))] | @tsv' 2>/dev/null)"; then
  notes="$(mktemp)"
  bash "$root/scripts/changelog.sh" notes "$tag" "$source" >"$notes"
  flags=(--draft --verify-tag --title "pat-check $tag" --notes-file "$notes")
  [[ "$prerelease" == true ]] && flags+=(--prerelease)
  gh release create "$tag" "${flags[@]}"
  rm -f "$notes"
  state="$(printf 'true\t')"
fi
draft="${state%%$'\t'*}"
have=" ${state#*$'\t'} "
if [[ "$draft" == true ]]; then
  # Uploaded again whole: an upload cut short may have left a partial file.
  gh release upload "$tag" --clobber "${paths[@]}"
  gh release edit "$tag" --draft=false "--latest=$latest"
  echo "published $tag"
else
  for f in "${files[@]}"; do
    [[ "$have" == *" $f "* ]] || die "the published release $tag lacks $f, and a published release cannot take assets: delete it (if your repository allows) and re-run"
  done
  echo "$tag is published with every asset"
fi

if [[ "$move_major" == true ]]; then
  step "$major onto $commit"
  git push --force "$remote" "$commit:refs/tags/$major"
fi
echo "commit=$commit"
