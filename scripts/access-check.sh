#!/usr/bin/env bash
# Who sees what, checked with nothing but curl and jq against a fresh
# `go run .` (demo data only): each demo user gets a token from the
# development provider with the client-credentials grant and asks for all
# trajectories with their mentors and the mentors' salaries.
#
#   go run . &
#   bash scripts/access-check.sh
set -euo pipefail

BASE=${BASE:-http://localhost:8080}
command -v jq >/dev/null || { echo "this script needs jq (apt-get install jq)" >&2; exit 1; }
fail() { echo "FAIL: $*" >&2; exit 1; }

QUERY='{ trajectories(first: 100) { totalCount edges { node { title giving { name } receiving { name }
  mentors { name email salaries { monthlyCost } } } } } }'

ask() { # ask LOGIN: prints the response of QUERY for LOGIN ("" = anonymous)
	local auth=()
	if [ -n "$1" ]; then
		local tok
		tok=$(curl -sf -d grant_type=client_credentials -d "client_id=$1" -d client_secret=demo \
			"$BASE/dev-idp/oauth/token" | jq -r .access_token)
		auth=(-H "Authorization: Bearer $tok")
	fi
	curl -s "$BASE/graphql" "${auth[@]}" -H 'Content-Type: application/json' \
		-d "$(jq -n --arg q "$QUERY" '{query: $q}')"
}

check() { # check LOGIN TRAJECTORIES NAMES SALARIES ("some" or "none" for the last two)
	local r n names sal
	r=$(ask "$1")
	n=$(jq '.data.trajectories.totalCount' <<<"$r")
	names=$(jq '[.data.trajectories.edges[].node.mentors[] | .name, .email] | length' <<<"$r")
	sal=$(jq '[.data.trajectories.edges[].node.mentors[].salaries[]] | length' <<<"$r")
	[ "$n" = "$2" ] || fail "$1 sees $n trajectories, want $2"
	{ [ "$3" = some ] && [ "$names" -gt 0 ]; } || { [ "$3" = none ] && [ "$names" = 0 ]; } || fail "$1: $names names/e-mails, want $3"
	{ [ "$4" = some ] && [ "$sal" -gt 0 ]; } || { [ "$4" = none ] && [ "$sal" = 0 ]; } || fail "$1: $sal salaries, want $4"
	printf 'ok: %-9s %2s trajectories, mentor names: %-4s salaries: %s\n' "$1" "$n" "$3" "$4"
	if [ "$1" = leuven ]; then
		jq -r '.data.trajectories.edges[].node | "    \(.giving.name) → \(.receiving.name): \([.mentors[].name] | join(", "))"' <<<"$r"
	fi
}

check leuven 1 some none
check mechelen 5 some some
check kortrijk 3 some some
check ministry 11 some some
check vvsg 11 some none
check analyst 11 none none
check partner 11 none none
code=$(ask "" | jq -r '.errors[0].extensions.code')
[ "$code" = UNAUTHENTICATED ] || fail "anonymous got $code"
echo "ok: anonymous gets UNAUTHENTICATED"
