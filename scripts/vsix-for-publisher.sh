#!/usr/bin/env bash
# Makes a copy of the Azure DevOps extension for your own Marketplace
# publisher, to publish on Azure DevOps Services (an extension can only be
# published by its manifest's publisher: `tfx extension publish --publisher`
# does not change it). In the copy:
#   - the manifest's publisher is PUBLISHER (the extension id stays pat-check);
#   - each task's id is a UUIDv5 of PUBLISHER in the namespace of the
#     original id: the same for every rebuild for PUBLISHER, and different
#     from the original's and any other publisher's, so two copies installed
#     in one organization do not collide;
#   - everything else, the binaries included, is byte for byte the release's.
#
# Usage: scripts/vsix-for-publisher.sh PUBLISHER [IN [OUT]]
#   IN   the release's pat-check.vsix (default dist/pat-check.vsix)
#   OUT  default: pat-check-PUBLISHER.vsix beside IN
# Then: npx tfx-cli extension publish --vsix OUT --share-with YOUR_ORG --token …
# Needs Node only.
set -euo pipefail

die() { echo "vsix-for-publisher: $*" >&2; exit 1; }
[[ $# -ge 1 && $# -le 3 ]] || die "usage: scripts/vsix-for-publisher.sh PUBLISHER [IN [OUT]]"
publisher="$1"
in="${2:-dist/pat-check.vsix}"
[[ -f "$in" ]] || die "no $in: download pat-check.vsix from the release, or build it (scripts/release-assets.sh)"
out="${3:-$(dirname "$in")/pat-check-$publisher.vsix}"

node "$(dirname "${BASH_SOURCE[0]}")/vsix.js" publisher "$in" "$out" "$publisher"
echo "vsix-for-publisher: $out: publisher $publisher"
node "$(dirname "${BASH_SOURCE[0]}")/vsix.js" list "$out" | awk '$2 ~ /^[^\/]+\/task\.json$/ { print $2 }' | while read -r t; do
  echo "  $t id $(node "$(dirname "${BASH_SOURCE[0]}")/vsix.js" cat "$out" "$t" | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).id')"
done
