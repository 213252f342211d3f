#!/usr/bin/env bash
# Browser checks of the portal sign-in and of GraphiQL: bash e2e/run.sh (from
# anywhere).
#
# Installs what is missing (Chromium from Debian, playwright-core from npm),
# builds the server, starts it in zero-setup mode in a temporary directory
# (127.0.0.1, port 8080, or 18080 when 8080 is taken; E2E_API_PORT
# overrides), runs e2e/browser.test.mjs (which serves the SPA on ports 5173
# and 5174 and drives Chromium) and e2e/graphiql.test.mjs (GraphiQL with no
# network), and stops everything it started, whatever happens.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
cd "$here"

sudo=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then sudo="sudo"; fi

# 0. Node 20 or later (playwright-core needs it; Debian 12's own nodejs is
# 18): checked first, before anything is installed.
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' 2>/dev/null; then
  echo "the browser checks need Node 20 or later with npm (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

# 1. Chromium (Debian's package; Playwright's own browser download cannot be
# used here).
export E2E_CHROMIUM="${E2E_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$E2E_CHROMIUM" ]; then
  echo "== installing chromium"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

# 2. playwright-core, exactly as locked.
if [ ! -f node_modules/playwright-core/package.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund
fi

# 3. The server.
work="$(mktemp -d "${TMPDIR:-/tmp}/wisselaar-e2e-run.XXXXXX")"
server_pid=""
test_pid=""
cleanup() {
  status=$?
  trap - EXIT INT TERM
  if [ -n "$test_pid" ] && kill -0 "$test_pid" 2>/dev/null; then
    # node runs in its own process group (setsid): end it and the Chromium
    # it started.
    kill -TERM -- "-$test_pid" 2>/dev/null || true
    sleep 1
    kill -KILL -- "-$test_pid" 2>/dev/null || true
  fi
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "== go build"
(cd "$repo" && go build -o "$work/wisselaar" .)

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port="${E2E_API_PORT:-}"
if [ -z "$port" ]; then
  port=8080
  if listening 8080; then port=18080; fi
fi
if listening "$port"; then
  echo "port $port is taken; set E2E_API_PORT to a free port" >&2
  exit 1
fi
for p in 5173 5174; do
  if listening "$p"; then echo "port $p (for the SPA) is taken" >&2; exit 1; fi
done

api="http://localhost:$port"
mkdir -p "$work/run"
echo "== starting the API on $api (log: e2e/server.log)"
# Zero-setup mode whatever this shell's environment says: only what the
# check needs is set.
(
  cd "$work/run"
  exec env -u DATABASE_URL -u OIDC_ISSUER -u OIDC_CLIENT_ID -u OIDC_CLIENT_SECRET -u OIDC_AUDIENCE \
    -u OIDC_ROLES_CLAIM -u OIDC_ROLE_MAPPING -u AUTH_RETURN_TO_ALLOWLIST -u DATA_DIR -u DEMO_DATA -u PORT \
    PUBLIC_URL="$api" CORS_ALLOWED_ORIGINS=http://localhost:5173 ADDR="127.0.0.1:$port" \
    "$work/wisselaar"
) >"$here/server.log" 2>&1 &
server_pid=$!

ready() { node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$api/readyz"; }
for _ in $(seq 300); do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "the server exited; its log:" >&2
    cat "$here/server.log" >&2
    exit 1
  fi
  if ready; then break; fi
  sleep 0.2
done
ready || { echo "the server is not ready at $api/readyz; log: e2e/server.log" >&2; exit 1; }

# 4. The browser test (its temporary files, the Chromium profile among them,
# go to $work, so that they go even when it is killed).
echo "== node --test e2e/browser.test.mjs e2e/graphiql.test.mjs"
rc=0
TMPDIR="$work" E2E_API_URL="$api" E2E_SERVER_LOG="$here/server.log" \
  setsid -w node --test --test-reporter=spec browser.test.mjs graphiql.test.mjs &
test_pid=$!
wait "$test_pid" || rc=$?
test_pid=""
if [ "$rc" = 0 ]; then
  echo "== passed; screenshots: e2e/screenshot.png (signed in on http://localhost:5173), e2e/screenshot-foreign.png (http://127.0.0.1:5174), e2e/screenshot-graphiql.png (GraphiQL)"
else
  echo "== FAILED (exit $rc); server log: e2e/server.log" >&2
fi
exit "$rc"
