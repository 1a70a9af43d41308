#!/usr/bin/env bash
# Lints the GitHub Actions workflows with actionlint (pinned), and checks that
# Dependabot covers every manifest, exiting non-zero
# on any finding. actionlint also reads action.yml for the `uses: ./` steps.
# Its shellcheck integration checks the run: blocks (scripts/check-shell.sh
# installs shellcheck first in .ci/run); pyflakes is off (no Python here).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

go run github.com/rhysd/actionlint/cmd/actionlint@v1.7.12 \
  -pyflakes=

# Dependabot watches every manifest the project has: the workflows' actions,
# go.mod, and each package.json (a new one must be added to the list).
dependabot=.github/dependabot.yml
for ecosystem in github-actions gomod npm; do
  grep -q "package-ecosystem: $ecosystem\$" "$dependabot" ||
    { echo "check-workflows: $dependabot does not cover $ecosystem" >&2; exit 1; }
done
while IFS= read -r manifest; do
  dir="/$(dirname "$manifest")"
  grep -q -- "- $dir\$" "$dependabot" ||
    { echo "check-workflows: $dependabot does not cover $manifest (add $dir to the npm directories)" >&2; exit 1; }
done < <(git ls-files '*package.json' | grep -v node_modules)
for f in .github/CODEOWNERS .github/pull_request_template.md LICENSE; do
  [[ -s "$f" ]] || { echo "check-workflows: $f is missing" >&2; exit 1; }
done
echo "check-workflows: actionlint clean; dependabot covers every manifest"
