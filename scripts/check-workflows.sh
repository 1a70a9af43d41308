#!/usr/bin/env bash
# Lints the GitHub Actions workflows with actionlint (pinned), exiting non-zero
# on any finding. actionlint also reads action.yml for the `uses: ./` steps.
# Its shellcheck and pyflakes integrations are off: neither tool is on the
# project's machines.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

go run github.com/rhysd/actionlint/cmd/actionlint@v1.7.12 \
  -shellcheck= -pyflakes=
