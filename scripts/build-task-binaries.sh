#!/usr/bin/env bash
# Builds the pat-check binaries the Azure Pipelines task ships, one per
# agent platform, into task/PatCheckV<N>/bin/<os>_<arch>/pat-check[.exe] of
# every task folder (ignored by git), and the same six as
# task/bin/pat-check_<os>_<arch>[.exe], the layout scripts/pack-vsix.sh packs.
#
# Run from anywhere; it works from the repository root. Set PAT_CHECK_VERSION
# (for example v1.2.3) to stamp the version into the binaries.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# The release's flags (.goreleaser.yaml): stripped, no inlining, which
# costs nothing measurable in a program that waits on the network, and the
# demo left out (nodemo): together they keep every binary under 10 MB.
ldflags="-s -w"
if [[ -n "${PAT_CHECK_VERSION:-}" ]]; then
  ldflags+=" -X github.com/pat-check/pat-check/internal/app.version=${PAT_CHECK_VERSION}"
fi

out="task/bin"
rm -rf "$out"

# The six builds share Go's build cache and run side by side.
# shellcheck source=scripts/platforms.sh
source scripts/platforms.sh
pids=()
targets=()
for platform in "${PAT_CHECK_PLATFORMS[@]}"; do
  dest="$out/pat-check_${platform}$(pat_check_exe "$platform")"
  GOOS="${platform%_*}" GOARCH="${platform#*_}" CGO_ENABLED=0 \
    go build -trimpath -tags nodemo -gcflags=all=-l -ldflags "$ldflags" -o "$dest" ./cmd/pat-check &
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

for dir in task/PatCheckV*/; do
  rm -rf "${dir}bin"
  for t in "${targets[@]}"; do
    exe="$(pat_check_exe "$t")"
    mkdir -p "${dir}bin/$t"
    cp "$out/pat-check_$t$exe" "${dir}bin/$t/pat-check$exe"
    chmod 0755 "${dir}bin/$t/pat-check$exe"
  done
done
for t in "${targets[@]}"; do
  f="$out/pat-check_$t$(pat_check_exe "$t")"
  printf '%-14s %10d bytes  %s\n' "$t" "$(wc -c <"$f")" "$f"
done
