# The platforms pat-check is released for, as Go names them: sourced by the
# scripts that build, pack, check and publish the binaries. The asset of
# os_arch is pat-check_<os>_<arch>, with .exe on Windows (.goreleaser.yaml
# builds the same six; scripts/action-run.sh and the task's launcher pick
# one of them).
# shellcheck shell=bash
# shellcheck disable=SC2034 # used by the scripts that source this file
PAT_CHECK_PLATFORMS=(linux_amd64 linux_arm64 darwin_amd64 darwin_arm64 windows_amd64 windows_arm64)

# pat_check_exe os_arch: ".exe" on Windows, else nothing.
pat_check_exe() {
  if [[ "$1" == windows_* ]]; then
    echo ".exe"
  fi
}
