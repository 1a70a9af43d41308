#!/usr/bin/env bash
# Runs the GitHub Action under a real runner implementation, nektos/act
# (host mode, no Docker), in a small workflow that uses it as users do
# (`uses: pat-check/pat-check@v1`), against the simulated APIs of
# `pat-check demo --serve`:
#   1. source mode: the action is a copy of this tree without release/, so
#      the step builds pat-check with the machine's Go;
#   2. release mode: the copy carries release/ of v1.2.3, whose binary for
#      this machine a local file server holds (PAT_CHECK_DOWNLOAD_URL).
# In each, a healthy token passes the job, and a token missing a scope
# fails it with the outputs set (read by a later step); the token appears
# nowhere in act's log, and in release mode the binary came from the server.
#
# act's defaults that would reach outside are turned off: its notices check
# (ACT_DISABLE_VERSION_CHECK), the cache server (--no-cache-server), the
# default-image prompt (-P given), ~/.actrc and ./.secrets (HOME and the
# working directory are scratch folders, the secrets come from a file of
# our own), `gh auth token` (GITHUB_TOKEN is given). The action is
# --local-repository, so nothing is cloned. Everything listens on
# 127.0.0.1. In host mode act hands its own environment to the steps: act
# runs with a minimal one.
#
# What act does not model is tested by scripts/test-action.sh (Windows
# paths, the empty GITHUB_ACTION_REF of a real runner: act sets it).
# Needs Go, Node, git and curl. Exits non-zero on any failure.
set -euo pipefail
export LC_ALL=C

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# v0.2.89 (2026): builds with Go 1.26. go run caches the linked binary, so
# only the first run compiles it (about a minute and a half on two cores).
act_module=github.com/nektos/act@v0.2.89

failures=0
pass() { echo "ok    $*"; }
bad() { echo "FAIL  $*" >&2; failures=$((failures + 1)); }
die() { echo "test-act: $*" >&2; exit 1; }

case "$(uname -s)/$(uname -m)" in
  Linux/x86_64 | Linux/amd64 | Linux/aarch64 | Linux/arm64) ;;
  *) echo "test-act: runs on Linux (act's host mode with runs-on: ubuntu-latest)"; exit 0 ;;
esac
asset="pat-check_$(go env GOHOSTOS)_$(go env GOHOSTARCH)"

tmp="$(mktemp -d)"
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "== act ($act_module)"
start=$SECONDS
go build -o "$tmp/bin/pat-check" ./cmd/pat-check
(cd "$tmp" && go run "$act_module" --version) || die "could not build act"
echo "act ready in $((SECONDS - start)) s"

# The simulated APIs, on a port of their own.
"$tmp/bin/pat-check" demo --serve 127.0.0.1:0 >"$tmp/serve.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do grep -q 'GitHub API:' "$tmp/serve.out" && break; sleep 0.1; done
api="$(sed -n 's/.*GitHub API: *\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$tmp/serve.out")"
[[ "$api" =~ ^http://127\.0\.0\.1:[1-9][0-9]*$ ]] || { cat "$tmp/serve.out" >&2; die "the demo server did not start"; }
# token_after TITLE: the simulated token of the example titled TITLE.
token_after() { grep -A1 -F "# $1" "$tmp/serve.out" | sed -n 's/.*PAT_CHECK_TOKEN=\([^ ]*\) .*/\1/p'; }
healthy="$(token_after "a healthy classic token")"
noscope="$(token_after "a token without the workflow scope")"
[[ -n "$healthy" && -n "$noscope" ]] || die "no simulated tokens in the demo server's output"
printf 'HEALTHY=%s\nNO_WORKFLOW=%s\nGITHUB_TOKEN=unused\n' "$healthy" "$noscope" >"$tmp/secrets"
chmod 0600 "$tmp/secrets"

# The release: this tree's binary built as a release is, its sum, and a
# file server that logs what it serves.
mkdir -p "$tmp/mirror/v1.2.3"
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/pat-check/pat-check/internal/app.version=v1.2.3" \
  -o "$tmp/mirror/v1.2.3/$asset" ./cmd/pat-check
node -e '
  const http = require("http"), fs = require("fs"), path = require("path");
  const [dir, log] = process.argv.slice(1);
  const s = http.createServer((req, res) => {
    fs.appendFileSync(log, `${req.method} ${req.url}\n`);
    const f = path.join(dir, path.normalize(decodeURIComponent(req.url.split("?")[0])));
    if (!f.startsWith(dir + path.sep) || !fs.existsSync(f) || !fs.statSync(f).isFile()) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { "Content-Type": "application/octet-stream" });
    fs.createReadStream(f).pipe(res);
  });
  s.listen(0, "127.0.0.1", () => console.log(`http://127.0.0.1:${s.address().port}`));
' "$tmp/mirror" "$tmp/served.log" >"$tmp/mirror.url" &
pids+=($!)
for _ in $(seq 50); do [[ -s "$tmp/mirror.url" ]] && break; sleep 0.1; done
mirror="$(cat "$tmp/mirror.url")"
[[ "$mirror" =~ ^http://127\.0\.0\.1:[1-9][0-9]*$ ]] || die "the file server did not start"

# The action at pat-check/pat-check@v1: the tracked files (with the work
# tree's changes), as a runner has them; the release adds release/.
src_copy() {
  mkdir -p "$1"
  git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
    [[ -e "$f" ]] && printf '%s\0' "$f"
  done | tar --null -T - -cf - | tar -xf - -C "$1"
  rm -rf "$1/release"
}
src_copy "$tmp/source"
src_copy "$tmp/release"
mkdir -p "$tmp/release/release"
(cd "$tmp/mirror/v1.2.3" && sha256sum "$asset") >"$tmp/release/release/checksums.txt"
printf 'v1.2.3\n' >"$tmp/release/release/version"

# The workflow's repository.
ws="$tmp/workspace"
mkdir -p "$ws/.github/workflows"
cat >"$ws/.github/workflows/check.yml" <<'EOF'
name: check
on: push
permissions: {}
env:
  PAT_CHECK_DOWNLOAD_URL: ${{ vars.DOWNLOAD_URL }}
jobs:
  healthy:
    runs-on: ubuntu-latest
    steps:
      - id: pat
        uses: pat-check/pat-check@v1
        with:
          token: ${{ secrets.HEALTHY }}
          scopes: repo, workflow
          repositories: octo-org/deploy
          api-url: ${{ vars.API_URL }}
      - env:
          RESULT: ${{ steps.pat.outputs.result }}
          LOGIN: ${{ steps.pat.outputs.login }}
        run: |
          echo "outputs of the check: result=$RESULT login=$LOGIN"
  missing-scope:
    runs-on: ubuntu-latest
    steps:
      - id: pat
        uses: pat-check/pat-check@v1
        with:
          token: ${{ secrets.NO_WORKFLOW }}
          scopes: repo, workflow
          repositories: octo-org/deploy
          api-url: ${{ vars.API_URL }}
      - if: always()
        env:
          RESULT: ${{ steps.pat.outputs.result }}
          VALID: ${{ steps.pat.outputs.valid }}
          MISSING: ${{ steps.pat.outputs.missing }}
        run: |
          echo "outputs of the check: result=$RESULT valid=$VALID missing=$MISSING"
EOF
git -C "$ws" init --quiet
git -C "$ws" add -A
git -C "$ws" -c user.name=test -c user.email=test@localhost commit --quiet -m "the workflow"

# run_act NAME ACTION_DIR JOB [--var ...]: runs one job; the log is in
# $tmp/NAME.log, the exit code in $code.
run_act() {
  local name="$1" dir="$2" job="$3"
  shift 3
  mkdir -p "$tmp/home-$name"
  code=0
  (cd "$ws" && env -i PATH="$PATH" HOME="$tmp/home-$name" LC_ALL=C \
    GOCACHE="$(go env GOCACHE)" GOMODCACHE="$(go env GOMODCACHE)" GOPROXY="$(go env GOPROXY)" \
    ACT_DISABLE_VERSION_CHECK=1 \
    go run "$act_module" push --job "$job" \
    -P ubuntu-latest=-self-hosted \
    --local-repository "pat-check/pat-check@v1=$dir" \
    --action-cache-path "$tmp/act-cache-$name" \
    --no-cache-server \
    --secret-file "$tmp/secrets" \
    --var "API_URL=$api" "$@") >"$tmp/$name.log" 2>&1 || code=$?
}

# check NAME WANT_CODE OUTPUTS: the exit code, the outputs line, no token.
check() {
  local name="$1" want="$2" outputs="$3" ok=1
  if [[ "$code" != "$want" ]]; then
    bad "$name: act exited $code, want $want"
    ok=0
  fi
  if ! grep -qF "outputs of the check: $outputs" "$tmp/$name.log"; then
    bad "$name: the log has no \"outputs of the check: $outputs\""
    ok=0
  fi
  # Any 12 characters of a token would be a leak: the whole tokens and
  # their last 12 characters (the part pat-check never shows).
  if grep -qF -e "$healthy" -e "$noscope" -e "${healthy: -12}" -e "${noscope: -12}" "$tmp/$name.log"; then
    bad "$name: a token is in act's log"
    ok=0
  fi
  if ((ok)); then
    pass "$name: exit $code, outputs $outputs, no token in the log"
  else
    grep -vF -e "${healthy: -12}" -e "${noscope: -12}" "$tmp/$name.log" | tail -n 40 | sed 's/^/      /' >&2
  fi
}

echo "== source mode (pat-check/pat-check@v1 without release/)"
start=$SECONDS
run_act source-healthy "$tmp/source" healthy
check source-healthy 0 "result=pass login=octocat"
run_act source-missing "$tmp/source" missing-scope
check source-missing 1 "result=fail valid=true missing=workflow"
grep -q "building from source" "$tmp/source-healthy.log" || bad "source-healthy: the step did not build from source"
echo "      ($((SECONDS - start)) s)"

echo "== release mode (release/ of v1.2.3, the binary from $mirror)"
start=$SECONDS
run_act release-healthy "$tmp/release" healthy --var "DOWNLOAD_URL=$mirror/"
check release-healthy 0 "result=pass login=octocat"
run_act release-missing "$tmp/release" missing-scope --var "DOWNLOAD_URL=$mirror/"
check release-missing 1 "result=fail valid=true missing=workflow"
if grep -q "building from source" "$tmp"/release-*.log; then
  bad "release: the step built from source"
elif [[ "$(grep -c "^GET /v1.2.3/$asset\$" "$tmp/served.log" 2>/dev/null)" -lt 1 ]]; then
  bad "release: the file server served no /v1.2.3/$asset ($(cat "$tmp/served.log" 2>/dev/null))"
else
  pass "release: the binary came from the file server, checked against release/checksums.txt"
fi
echo "      ($((SECONDS - start)) s)"

echo
if ((failures > 0)); then
  echo "test-act: $failures failed" >&2
  exit 1
fi
echo "test-act: all passed"
