#!/usr/bin/env bash
# Side-by-side benchmark of wisselaar and PostGraphile v5 on the same
# PostgreSQL database, on one machine.
#
#   bash bench/run.sh              # the list query, then grantStatistics
#   bash bench/run.sh list         # only the list query
#   bash bench/run.sh statistics   # only grantStatistics against the bare SQL
#
# It starts a throwaway PostgreSQL cluster (with pg_stat_statements, to
# count statements per request), creates the schema with `wisselaar
# migrate`, fills it with bench/generate.sql (TRAJECTORIES, default
# 100,000; STAT_TRAJECTORIES, default 1,250,000, which makes 1,000,000
# grants), starts wisselaar (as the ministry, through the privacy rules)
# and PostGraphile v5 (no access control) on it, and runs the portal's
# list query under wrk against each in turn, ROUNDS times (default 3;
# DURATION 8s, CONNECTIONS 16 each). It prints throughput, p50 and p99
# latency, SQL statements per request and peak RSS of each server, and
# the ratios; then grantStatistics(groupBy: [THEME]) against the same
# GROUP BY in psql (median of STAT_RUNS, default 7).
#
# Needs: Go, PostgreSQL 15 server binaries, and npm (Node 22 and
# PostGraphile are installed from npm into bench/.node, which is not
# committed); wrk and jq are installed with apt-get when missing. Nothing
# listens beyond 127.0.0.1. Takes about 10 minutes, most of it generating
# the data.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
what=${1:-all}
TRAJECTORIES=${TRAJECTORIES:-100000}
STAT_TRAJECTORIES=${STAT_TRAJECTORIES:-1250000}
DURATION=${DURATION:-8s}
CONNECTIONS=${CONNECTIONS:-16}
ROUNDS=${ROUNDS:-3}
STAT_RUNS=${STAT_RUNS:-7}
PGPORT=${PGPORT:-55432}
WPORT=${WPORT:-55600}
GPORT=${GPORT:-55500}

need() { command -v "$1" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }; }
need wrk wrk
need jq jq
need psql postgresql-client
pgbin=$(dirname "$(command -v initdb 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")

# Node 22 and PostGraphile v5, local to the benchmark.
node_dir=$root/bench/.node
if [ ! -x "$node_dir/node_modules/.bin/postgraphile" ] || [ ! -x "$node_dir/node_modules/.bin/node" ]; then
	echo "installing node@22 and postgraphile@5 into bench/.node"
	npm install --silent --no-audit --no-fund --prefix "$node_dir" node@22 postgraphile@5 >/dev/null
fi
node=$node_dir/node_modules/.bin/node
postgraphile=$node_dir/node_modules/.bin/postgraphile

work=$(mktemp -d /tmp/wisselaar-bench.XXXXXX)
pids=()
# The process listening on a port: the server itself, where $! would be
# the shell that started it.
listener() { ss -ltnpH "sport = :$1" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }
cleanup() {
	for p in "${pids[@]}" $(listener "$WPORT") $(listener "$GPORT"); do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	[ -f "$work/data/postmaster.pid" ] && as_pg "$pgbin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$work"

echo "starting PostgreSQL in $work"
as_pg "$pgbin/initdb" -D "$work/data" -U postgres --auth=trust --no-locale -E UTF8 --no-sync --no-instructions >/dev/null
as_pg "$pgbin/pg_ctl" -D "$work/data" -l "$work/postgres.log" -w -o "-p $PGPORT -c listen_addresses=127.0.0.1 \
	-c unix_socket_directories=$work -c shared_preload_libraries=pg_stat_statements -c fsync=off \
	-c synchronous_commit=off -c shared_buffers=256MB -c work_mem=16MB -c max_connections=100" start >/dev/null
pg="psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $PGPORT -U postgres"

go build -o "$work/wisselaar" .
wisselaar() { # database, then the command
	local db=$1; shift
	(cd "$work" && DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/$db" ADDR="127.0.0.1:$WPORT" \
		PUBLIC_URL="http://127.0.0.1:$WPORT" LOG_LEVEL=warn RATE_LIMIT=off DEMO_DATA=false \
		REQUEST_TIMEOUT=60s exec ./wisselaar "$@")
}
dataset() { # database, trajectories
	echo "generating $2 trajectories in database $1"
	$pg -c "CREATE DATABASE $1"
	wisselaar "$1" migrate >/dev/null
	$pg -d "$1" -v trajectories="$2" -f bench/generate.sql >/dev/null
	$pg -d "$1" -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
}
wait_for() { for _ in $(seq 300); do curl -sf -o /dev/null "$@" && return 0; sleep 0.2; done; echo "no answer from $*" >&2; return 1; }
start_wisselaar() {
	wisselaar "$1" >"$work/wisselaar.log" 2>&1 &
	wpid=$!; pids+=("$wpid")
	wait_for "http://127.0.0.1:$WPORT/readyz"
	token=$(curl -sf -d grant_type=client_credentials -d client_id=ministry -d client_secret=demo \
		"http://127.0.0.1:$WPORT/dev-idp/oauth/token" | jq -r .access_token)
}
stop_wisselaar() {
	local p; p=$(listener "$WPORT")
	kill "$wpid" $p 2>/dev/null || true
	wait "$wpid" 2>/dev/null || true
	for _ in $(seq 50); do [ -z "$(listener "$WPORT")" ] && return; sleep 0.1; done
}
# The peak RSS of the process listening on port $1 (the server itself, not
# the shell or wrapper that started it).
peak_rss_mb() {
	local pid; pid=$(listener "$1")
	awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status"
}
to_ms() { # wrk's "12.34ms", "1.2s" or "900.00us"
	awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.1f", n }'
}
lua() { # file, body, extra header line
	printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n%s\nwrk.body = [[%s]]\n' "$3" "$2" >"$1"
}
# run NAME URL LUA: one wrk run; appends "rps p50 p99 statements/request" to $work/NAME
run() {
	$pg -d bench -c "SELECT pg_stat_statements_reset()" >/dev/null
	local out; out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 30s --latency -s "$3" "$2")
	if grep -q "Non-2xx" <<<"$out"; then echo "$1 answered errors:" >&2; echo "$out" >&2; exit 1; fi
	if grep -q "Socket errors" <<<"$out"; then echo "$1: $(grep 'Socket errors' <<<"$out")" >&2; fi
	local rps p50 p99 n stmts
	rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
	p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
	p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
	n=$(awk '/requests in/ {print $1}' <<<"$out")
	stmts=$($pg -d bench -At -c "SELECT COALESCE(sum(calls), 0) FROM pg_stat_statements
		WHERE query NOT ILIKE '%pg_stat_statements%' AND query !~* '^(begin|commit|rollback|set |show |discard)' AND query <> ';' AND query <> '-- ping'")
	echo "$rps $p50 $p99 $(awk -v s="$stmts" -v n="$n" 'BEGIN { printf "%.1f", s / n }')" >>"$work/res-$1"
	printf '  %-12s %8s req/s  p50 %8s ms  p99 %8s ms  %s statements/request\n' "$1" "$rps" "$p50" "$p99" \
		"$(awk -v s="$stmts" -v n="$n" 'BEGIN { printf "%.1f", s / n }')"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
col() { awk -v c="$2" '{ print $c }' "$work/res-$1" | median; }

list() {
	dataset bench "$TRAJECTORIES"
	start_wisselaar bench
	GRAPHILE_ENV=production "$node" "$postgraphile" -P postgraphile/presets/amber \
		-c "postgres://postgres@127.0.0.1:$PGPORT/bench" -s public -p "$GPORT" -n 127.0.0.1 >"$work/postgraphile.log" 2>&1 &
	gpid=$!; pids+=("$gpid")
	wait_for -X POST -H 'Content-Type: application/json' -d '{"query":"{__typename}"}' "http://127.0.0.1:$GPORT/graphql"

	# The portal's list: 50 trajectories, newest first, with giving and
	# receiving municipality, call, themes, grant and mentors, and the total.
	local wq gq
	wq='{ trajectories(first: 50, orderBy: {field: CREATED_AT, direction: DESC}) { totalCount edges { node { id title status giving { name } receiving { name } call { name year } themes { code name } grant { status requested awarded } mentors { name } } } } }'
	gq='{ allTrajectories(first: 50, orderBy: CREATED_AT_DESC) { totalCount nodes { id title status municipalityByGivingId { name } municipalityByReceivingId { name } callByCallId { name year } trajectoryThemesByTrajectoryId { nodes { themeByThemeId { code name } } } grantsByTrajectoryId { nodes { status requested awarded } } assignmentsByTrajectoryId { nodes { mentorByMentorId { name } } } } } }'
	lua "$work/w.lua" "$(jq -cn --arg q "$wq" '{query: $q}')" "wrk.headers[\"Authorization\"] = \"Bearer $token\""
	lua "$work/g.lua" "$(jq -cn --arg q "$gq" '{query: $q}')" ""
	for f in w g; do # both answer 50 trajectories before anything is timed
		curl -sf -X POST -H 'Content-Type: application/json' -H "Authorization: Bearer $token" \
			-d "$(sed -n 's/^wrk.body = \[\[\(.*\)\]\]$/\1/p' "$work/$f.lua")" \
			"http://127.0.0.1:$([ $f = w ] && echo $WPORT || echo $GPORT)/graphql" |
			jq -e '[.. | objects | select(has("title"))] | length == 50' >/dev/null
	done
	echo "warming up"
	wrk -t1 -c4 -d3s -s "$work/w.lua" "http://127.0.0.1:$WPORT/graphql" >/dev/null
	wrk -t1 -c4 -d3s -s "$work/g.lua" "http://127.0.0.1:$GPORT/graphql" >/dev/null
	for r in $(seq "$ROUNDS"); do
		echo "round $r"
		run wisselaar "http://127.0.0.1:$WPORT/graphql" "$work/w.lua"
		run postgraphile "http://127.0.0.1:$GPORT/graphql" "$work/g.lua"
	done
	local wrss grss
	wrss=$(peak_rss_mb "$WPORT"); grss=$(peak_rss_mb "$GPORT")
	stop_wisselaar; kill "$gpid"
	echo
	echo "list query, $TRAJECTORIES trajectories, median of $ROUNDS rounds ($CONNECTIONS connections, $DURATION each), $(nproc) cores:"
	printf '| figure | wisselaar (as ministry) | PostGraphile v5 | ratio |\n|---|---|---|---|\n'
	printf '| throughput | %s req/s | %s req/s | **%.2f×** |\n' "$(col wisselaar 1)" "$(col postgraphile 1)" \
		"$(awk -v a="$(col wisselaar 1)" -v b="$(col postgraphile 1)" 'BEGIN { print a / b }')"
	printf '| p50 | %s ms | %s ms | %.2f |\n' "$(col wisselaar 2)" "$(col postgraphile 2)" \
		"$(awk -v a="$(col wisselaar 2)" -v b="$(col postgraphile 2)" 'BEGIN { print a / b }')"
	printf '| p99 | %s ms | %s ms | %.2f |\n' "$(col wisselaar 3)" "$(col postgraphile 3)" \
		"$(awk -v a="$(col wisselaar 3)" -v b="$(col postgraphile 3)" 'BEGIN { print a / b }')"
	printf '| SQL statements per request | %s | %s | |\n' "$(col wisselaar 4)" "$(col postgraphile 4)"
	printf '| peak RSS | %s MB | %s MB | |\n' "$wrss" "$grss"
}

statistics() {
	dataset stats "$STAT_TRAJECTORIES"
	start_wisselaar stats
	local q bare
	q=$(jq -cn '{query: "{ grantStatistics(groupBy: [THEME]) { keys { value label } count requested awarded settled paid } }"}')
	bare="SELECT COALESCE(th.code, 'NONE'), COALESCE(th.name, '(geen thema)'), count(*), sum(g.requested), sum(g.awarded), sum(g.settled), sum(g.paid)
		FROM grants g LEFT JOIN trajectory_themes tt ON tt.trajectory_id = g.trajectory_id LEFT JOIN themes th ON th.id = tt.theme_id
		GROUP BY 1, 2 ORDER BY 1, 2"
	echo "grants: $($pg -d stats -At -c 'SELECT count(*) FROM grants')"
	for _ in 1 2; do # warm the cache for both
		curl -sf -o /dev/null -H 'Content-Type: application/json' -H "Authorization: Bearer $token" -d "$q" "http://127.0.0.1:$WPORT/graphql"
		$pg -d stats -c "$bare" >/dev/null
	done
	: >"$work/api"; : >"$work/sql"
	for _ in $(seq "$STAT_RUNS"); do
		curl -sf -o /dev/null -w '%{time_total}\n' -H 'Content-Type: application/json' -H "Authorization: Bearer $token" \
			-d "$q" "http://127.0.0.1:$WPORT/graphql" | awk '{ printf "%.1f\n", $1 * 1000 }' >>"$work/api"
		$pg -d stats -c '\timing on' -c "$bare" | awk '/^Time:/ { print $2 }' >>"$work/sql"
	done
	stop_wisselaar
	local a s
	a=$(median <"$work/api"); s=$(median <"$work/sql")
	echo
	echo "grantStatistics(groupBy: [THEME]) on 1,000,000 grants, median of $STAT_RUNS:"
	printf '| wisselaar (HTTP, as ministry) | bare SQL in psql | ratio |\n|---|---|---|\n'
	printf '| %s ms | %s ms | **%.2f×** |\n' "$a" "$s" "$(awk -v a="$a" -v b="$s" 'BEGIN { print a / b }')"
}

case $what in
list) list ;;
statistics) statistics ;;
all) list; statistics ;;
*) echo "usage: bash bench/run.sh [list|statistics|all]" >&2; exit 2 ;;
esac
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg)"
