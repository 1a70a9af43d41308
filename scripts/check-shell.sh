#!/usr/bin/env bash
# Runs shellcheck on every shell script (scripts/*.sh, .ci/run), following
# sourced files; .shellcheckrc holds the project's settings. When
# it is missing, installs it with apt-get if the machine has apt-get and
# root (CI's machines do); exits non-zero on any finding.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ensure_shellcheck() {
  command -v shellcheck >/dev/null && return 0
  if command -v apt-get >/dev/null && [[ "$(id -u)" == 0 ]]; then
    echo "check-shell: installing shellcheck with apt-get"
    apt-get install -y -q shellcheck >/dev/null 2>&1 ||
      { apt-get update -q >/dev/null && apt-get install -y -q shellcheck >/dev/null; }
  fi
  command -v shellcheck >/dev/null ||
    { echo "check-shell: shellcheck is not installed (apt-get install shellcheck, brew install shellcheck)" >&2; exit 1; }
}
ensure_shellcheck
shellcheck --version | sed -n 2p
files=(scripts/*.sh .ci/run)
shellcheck -x "${files[@]}"
echo "check-shell: ${#files[@]} files clean"
