#!/usr/bin/env bash
# Load test of the GraphQL endpoint, reported as a ratio against a baseline
# measured in the same run on the same machine: the throughput of a page of
# 50 trajectories with their edges (as the ministry, through bearer-token
# verification and the privacy policies) divided by the throughput of
# /healthz (the bare HTTP stack). Absolute numbers on a small, noisy machine
# mean little; the ratio tracks what the API adds.
#
#   bash bench/load.sh                 # embedded SQLite
#   DATABASE_URL=postgres://… bash bench/load.sh
#
# Traffic goes to 127.0.0.1 only; each run is bounded (DURATION, default 10s).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
PORT=${PORT:-18089}
BASE=http://127.0.0.1:$PORT

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v jq >/dev/null || { apt-get update -qq && apt-get install -y -qq jq >/dev/null; }

work=$(mktemp -d)
go build -o "$work/wisselaar" .
# RATE_LIMIT=off: wrk sends thousands of requests as one viewer, and the
# benchmark would otherwise measure the rate limiter's 429s.
(cd "$work" && ADDR="127.0.0.1:$PORT" PUBLIC_URL="$BASE" LOG_LEVEL=warn RATE_LIMIT=off exec ./wisselaar >"$work/server.log" 2>&1) &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -sf "$BASE/readyz" >/dev/null && break; sleep 0.2; done

token=$(curl -sf -d grant_type=client_credentials -d client_id=ministry -d client_secret=demo "$BASE/dev-idp/oauth/token" | jq -r .access_token)
query='{ trajectories(first: 50) { totalCount edges { node { title status giving { name } receiving { name } call { name } themes { name } grant { status awarded } mentors { name } } } } }'
cat >"$work/graphql.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
wrk.body = '$(jq -cn --arg q "$query" '{query: $q}')'
LUA

rps() { wrk -t2 -c"$CONNECTIONS" -d"$DURATION" "$@" | awk '/Requests\/sec/ {print $2}'; }
echo "warming up"; wrk -t1 -c4 -d2s -s "$work/graphql.lua" "$BASE/graphql" >/dev/null
base=$(rps "$BASE/healthz")
api=$(rps -s "$work/graphql.lua" "$BASE/graphql")
echo "baseline GET /healthz:          $base req/s"
echo "POST /graphql (50 trajectories): $api req/s"
awk -v a="$api" -v b="$base" 'BEGIN { printf "ratio graphql/baseline:         %.4f\n", a / b }'
