#!/usr/bin/env bash
# CHANGELOG.md's part in a release (keepachangelog.com/en/1.1.0).
#
# scripts/changelog.sh release vX.Y.Z [DATE]
#   Moves the entries under [Unreleased] to a new section [X.Y.Z] - DATE
#   (default: today, UTC), leaves [Unreleased] empty and updates the links
#   at the bottom. Run it on main in the commit that starts a release.
# scripts/changelog.sh notes vX.Y.Z [COMMIT]
#   Prints the section of X.Y.Z from CHANGELOG.md (of COMMIT when given):
#   the release notes. A prerelease (vX.Y.Z-pre) gets the [Unreleased]
#   section, with a line that says so. Fails when a final release has no
#   section, naming the command above.
set -euo pipefail
export LC_ALL=C

die() { echo "changelog: $*" >&2; exit 1; }
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
file="$root/CHANGELOG.md"
repo_url="https://github.com/pat-check/pat-check"

[[ $# -ge 2 ]] || die "usage: scripts/changelog.sh release|notes vX.Y.Z [DATE|COMMIT]"
cmd="$1" tag="$2"
[[ "$tag" =~ ^v([0-9]+\.[0-9]+\.[0-9]+)(-[0-9A-Za-z.]+)?$ ]] || die "'$tag' is not a release tag vX.Y.Z[-pre]"
version="${tag#v}"

# section NAME: the lines under "## [NAME]", up to the next "## [" or the
# link definitions; blank lines at either end dropped.
section() {
  awk -v want="## [$1]" '
    index($0, "## [") == 1 { on = (substr($0, 1, length(want)) == want); next }
    /^\[[^]]*\]: / { on = 0 }
    on { lines[n++] = $0 }
    END {
      s = 0; while (s < n && lines[s] ~ /^[[:space:]]*$/) s++
      e = n - 1; while (e >= s && lines[e] ~ /^[[:space:]]*$/) e--
      for (i = s; i <= e; i++) print lines[i]
    }'
}

case "$cmd" in
  notes)
    if [[ $# -ge 3 ]]; then
      text="$(git -C "$root" show "$3:CHANGELOG.md")"
    else
      text="$(cat "$file")"
    fi
    if [[ "$tag" == *-* ]]; then
      echo "A prerelease of ${version%%-*}: the changes since the last release, as CHANGELOG.md lists them."
      echo
      section Unreleased <<<"$text"
      exit 0
    fi
    body="$(section "$version" <<<"$text")"
    [[ -n "$body" ]] || die "CHANGELOG.md has no section [$version]: run scripts/changelog.sh release $tag on main and commit it before releasing"
    printf '%s\n' "$body"
    ;;
  release)
    [[ "$tag" != *-* ]] || die "a prerelease keeps its changes under [Unreleased]"
    date="${3:-$(date -u +%Y-%m-%d)}"
    [[ "$date" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] || die "'$date' is not a date YYYY-MM-DD"
    grep -q "^## \[$version\]" "$file" && die "CHANGELOG.md already has a section [$version]"
    grep -q '^## \[Unreleased\]' "$file" || die "CHANGELOG.md has no section [Unreleased]"
    [[ -n "$(section Unreleased <"$file")" ]] || die "[Unreleased] is empty: nothing to release"
    awk -v v="$version" -v d="$date" -v url="$repo_url" -v tag="$tag" '
      $0 == "## [Unreleased]" { print; print ""; print "## [" v "] - " d; next }
      /^\[Unreleased\]: / {
        print "[Unreleased]: " url "/compare/" tag "...main"
        print "[" v "]: " url "/releases/tag/" tag
        next
      }
      { print }' "$file" >"$file.new"
    mv "$file.new" "$file"
    echo "CHANGELOG.md: [Unreleased] moved to [$version] - $date"
    ;;
  *) die "unknown command '$cmd' (release or notes)" ;;
esac
