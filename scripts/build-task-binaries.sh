#!/usr/bin/env bash
# Builds the pat-check binaries the Azure Pipelines task ships, one per
# agent platform, into task/PatCheckV1/bin/<os>_<arch>/pat-check[.exe]
# (ignored by git; packaged into the extension by tfx).
#
# Run from anywhere; it works from the repository root. Set PAT_CHECK_VERSION
# (for example v1.2.3) to stamp the version into the binaries.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

ldflags="-s -w"
if [[ -n "${PAT_CHECK_VERSION:-}" ]]; then
  ldflags+=" -X github.com/pat-check/pat-check/internal/app.version=${PAT_CHECK_VERSION}"
fi

out="task/PatCheckV1/bin"
rm -rf "$out"

# The six builds share Go's build cache and run side by side.
# shellcheck source=scripts/platforms.sh
source scripts/platforms.sh
pids=()
targets=()
for platform in "${PAT_CHECK_PLATFORMS[@]}"; do
  dest="$out/${platform}/pat-check$(pat_check_exe "$platform")"
  GOOS="${platform%_*}" GOARCH="${platform#*_}" CGO_ENABLED=0 \
    go build -trimpath -ldflags "$ldflags" -o "$dest" ./cmd/pat-check &
  pids+=("$!")
  targets+=("$platform")
done

failed=0
for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then
    echo "build-task-binaries: the ${targets[$i]} build failed" >&2
    failed=1
  fi
done
[[ "$failed" == 0 ]] || exit 1

for t in "${targets[@]}"; do
  f=$(ls "$out/$t"/pat-check*)
  chmod 0755 "$f"
  printf '%-14s %10d bytes  %s\n' "$t" "$(wc -c <"$f")" "$f"
done
