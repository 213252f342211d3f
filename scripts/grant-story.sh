#!/usr/bin/env bash
# The grant process end to end, as the demo users would drive it, with
# nothing but curl and jq against a server started with `go run .`:
#
#   go run . &            # in one terminal
#   bash scripts/grant-story.sh
#
# The ministry opens a call (budget 100,000.00, cap 50,000.00, 50 %), the
# coordinator matches Mechelen with seven municipalities, Mechelen registers
# a mentor for each (7,500.00 a month, 38-hour week) planned at 19 hours a
# week for eight whole months, both sides sign, and Mechelen submits all
# seven applications at once. Each requests 15,000.00; six are RESERVED, one
# WAITLISTED, 10,000.00 remains. The ministry rejects one and the waiting one
# is promoted. One grant then runs to PAID: approval, hours, evaluation,
# settlement and payment, with amounts checked against a hand calculation.
set -euo pipefail

BASE=${BASE:-http://localhost:8080}
command -v jq >/dev/null || { echo "this script needs jq (apt-get install jq)" >&2; exit 1; }

fail() { echo "FAIL: $*" >&2; exit 1; }
say() { printf '\n== %s\n' "$*"; }

declare -A TOKENS
token() {
	local login=$1
	if [ -z "${TOKENS[$login]:-}" ]; then
		TOKENS[$login]=$(curl -sf -d grant_type=client_credentials -d "client_id=$login" -d client_secret=demo \
			"$BASE/dev-idp/oauth/token" | jq -r .access_token)
	fi
	echo "${TOKENS[$login]}"
}

# gql LOGIN QUERY [VARIABLES-JSON]: prints the data; fails on errors.
gql() {
	local login=$1 query=$2 vars=${3:-'{}'} out
	out=$(curl -s "$BASE/graphql" -H "Authorization: Bearer $(token "$login")" \
		-H 'Content-Type: application/json' \
		-d "$(jq -n --arg q "$query" --argjson v "$vars" '{query: $q, variables: $v}')")
	if [ "$(jq '.errors | length' <<<"$out")" != 0 ]; then
		fail "$login: $(jq -c .errors <<<"$out")"
	fi
	jq .data <<<"$out"
}

expect() { # expect WHAT GOT WANT
	[ "$2" = "$3" ] || fail "$1: got $2, want $3"
	echo "ok: $1 = $3"
}

# Fetch the tokens before anything runs in parallel (the cache is per shell).
for u in ministry vvsg mechelen leuven vilvoorde balen ronse deinze brugge kortrijk; do token "$u" >/dev/null; done

say "ministry opens a call that is open now"
year=$(date +%Y)
call=$(gql ministry 'mutation($in: CreateCallInput!) { createCall(input: $in) { call { id name } } }' "$(jq -n \
	--arg name "Demo call $(date +%s)" --argjson year "$year" \
	--arg opens "$(date -u -d '-1 day' +%FT%TZ)" --arg closes "$(date -u -d '+60 days' +%FT%TZ)" \
	'{in: {name: $name, year: $year, opensAt: $opens, closesAt: $closes, budget: "100000.00", perProjectCap: "50000.00", compensationPercent: 50}}')" |
	jq -r .createCall.call.id)

muni() { gql vvsg 'query($n: String!) { municipalities(where: {nisCode: $n}) { edges { node { id } } } }' "{\"n\":\"$1\"}" | jq -r '.municipalities.edges[0].node.id'; }
mechelen=$(muni 12025)
declare -A NIS=([leuven]=24062 [vilvoorde]=23088 [balen]=13003 [ronse]=45041 [deinze]=44083 [brugge]=31005 [kortrijk]=34022)
receivers=(leuven vilvoorde balen ronse deinze brugge kortrijk)

# Eight whole months, starting the first of next month.
start=$(date -d "$(date +%Y-%m-01) +1 month" +%F)
end=$(date -d "$start +8 months -1 day" +%F)

say "vvsg matches Mechelen with ${#receivers[@]} municipalities; Mechelen plans a mentor on each; both sign"
declare -A TRAJ
for r in "${receivers[@]}"; do
	rid=$(muni "${NIS[$r]}")
	t=$(gql vvsg 'mutation($in: CreateTrajectoryInput!) { createTrajectory(input: $in) { trajectory { id status } } }' "$(jq -n \
		--arg call "$call" --arg g "$mechelen" --arg r "$rid" --arg s "$start" --arg e "$end" --arg title "Mechelen → $r" \
		'{in: {callID: $call, givingID: $g, receivingID: $r, form: "MENTORING", title: $title, plannedStart: $s, plannedEnd: $e}}')" |
		jq -r .createTrajectory.trajectory.id)
	TRAJ[$r]=$t
	m=$(gql mechelen 'mutation($in: CreateMentorInput!) { createMentor(input: $in) { mentor { id } } }' "$(jq -n \
		--arg mun "$mechelen" --arg name "Mentor for $r" --arg email "mentor.$r.$(date +%s)@mechelen.example" \
		'{in: {municipalityID: $mun, name: $name, email: $email, jobTitle: "maatschappelijk werker"}}')" | jq -r .createMentor.mentor.id)
	gql mechelen 'mutation($in: RecordSalaryInput!) { recordSalary(input: $in) { salary { id } } }' "$(jq -n \
		--arg m "$m" --arg from "$(date -d "$start -1 year" +%F)" '{in: {mentorID: $m, monthlyCost: "7500.00", weeklyHours: 38, validFrom: $from}}')" >/dev/null
	gql mechelen 'mutation($in: AssignMentorInput!) { assignMentor(input: $in) { trajectory { id } } }' "$(jq -n \
		--arg t "$t" --arg m "$m" '{in: {trajectoryID: $t, mentorID: $m, plannedWeeklyHours: 19}}')" >/dev/null
	gql mechelen 'mutation($t: ID!) { signAgreement(input: {trajectoryID: $t}) { trajectory { status } } }' "{\"t\":\"$t\"}" >/dev/null
	status=$(gql "$r" 'mutation($t: ID!) { signAgreement(input: {trajectoryID: $t}) { trajectory { status } } }' "{\"t\":\"$t\"}" | jq -r .signAgreement.trajectory.status)
	expect "Mechelen → $r after both signatures" "$status" AGREED
done

say "Mechelen submits all ${#receivers[@]} applications at once"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for r in "${receivers[@]}"; do
	gql mechelen 'mutation($t: ID!) { submitGrantApplication(input: {trajectoryID: $t}) { grant { id status requested submittedAt } } }' \
		"{\"t\":\"${TRAJ[$r]}\"}" >"$tmp/$r.json" &
done
wait
jq -s 'map(.submitGrantApplication.grant) | sort_by(.submittedAt)' "$tmp"/*.json >"$tmp/all"
jq -r '.[] | "\(.submittedAt)  \(.status)  \(.requested)"' "$tmp/all"
expect "requested amounts" "$(jq -r '[.[].requested] | unique | join(",")' "$tmp/all")" 15000.00
expect "RESERVED" "$(jq '[.[] | select(.status == "RESERVED")] | length' "$tmp/all")" 6
expect "WAITLISTED" "$(jq '[.[] | select(.status == "WAITLISTED")] | length' "$tmp/all")" 1
budget() { gql ministry 'query($id: ID!) { node(id: $id) { ... on Call { budgetStatus { committed remaining } } } }' "{\"id\":\"$call\"}" | jq -r .node.budgetStatus.remaining; }
expect "remaining" "$(budget)" 10000.00

say "the ministry rejects one; the first in line is promoted"
waiting=$(jq -r '.[] | select(.status == "WAITLISTED") | .id' "$tmp/all")
rejected=$(jq -r '[.[] | select(.status == "RESERVED")][0].id' "$tmp/all")
gql ministry 'mutation($g: ID!) { decideGrant(input: {grantID: $g, approve: false, reason: "Het actieplan is onvoldoende uitgewerkt."}) { grant { status } } }' "{\"g\":\"$rejected\"}" >/dev/null
expect "the waiting application" "$(gql ministry 'query($id: ID!) { node(id: $id) { ... on Grant { status } } }' "{\"id\":\"$waiting\"}" | jq -r .node.status)" RESERVED
expect "remaining" "$(budget)" 10000.00

say "one grant runs to the end: approval, hours, evaluation, settlement, payment"
grant=$(jq -r '[.[] | select(.status == "RESERVED")][1].id' "$tmp/all")
traj=$(gql mechelen 'query($id: ID!) { node(id: $id) { ... on Grant { trajectory { id mentors { id } } } } }' "{\"id\":\"$grant\"}")
t=$(jq -r .node.trajectory.id <<<"$traj")
m=$(jq -r '.node.trajectory.mentors[0].id' <<<"$traj")
expect "approved" "$(gql ministry 'mutation($g: ID!) { decideGrant(input: {grantID: $g, approve: true, awarded: "15000.00"}) { grant { status } } }' "{\"g\":\"$grant\"}" | jq -r .decideGrant.grant.status)" APPROVED
gql mechelen 'mutation($t: ID!) { startTrajectory(input: {trajectoryID: $t}) { trajectory { status } } }' "{\"t\":\"$t\"}" >/dev/null
# 80 hours in each of the eight months (the plan said 19 a week, about 82).
entries=$(for i in $(seq 0 7); do jq -n --arg m "$m" --arg month "$(date -d "$start +$i months" +%Y-%m)" '{mentorID: $m, month: $month, hours: 80}'; done | jq -s .)
gql mechelen 'mutation($in: RecordTimeEntriesInput!) { recordTimeEntries(input: $in) { trajectory { id } } }' \
	"$(jq -n --arg t "$t" --argjson e "$entries" '{in: {trajectoryID: $t, entries: $e}}')" >/dev/null
gql mechelen 'mutation($t: ID!) { completeTrajectory(input: {trajectoryID: $t, evaluationReport: "De nieuwe werkwijze is ingebed in de sociale dienst."}) { trajectory { status } } }' "{\"t\":\"$t\"}" >/dev/null
# By hand: 7,500.00 × 80 ÷ (38 × 52 ÷ 12) = 3,643.7247… a month; × 8 months
# = 29,149.7975…; × 50 % = 14,574.8987… → 14,574.90 (below the award).
settled=$(gql ministry 'mutation($g: ID!) { settleGrant(input: {grantID: $g}) { grant { status settled } } }' "{\"g\":\"$grant\"}" | jq -r .settleGrant.grant.settled)
expect "settled" "$settled" 14574.90
expect "remaining after settlement" "$(budget)" 10425.10
paid=$(gql ministry 'mutation($g: ID!) { registerPayment(input: {grantID: $g, amount: "14574.90", paidOn: "'"$(date +%F)"'"}) { grant { status paid } } }' "{\"g\":\"$grant\"}")
expect "status after payment" "$(jq -r .registerPayment.grant.status <<<"$paid")" PAID
expect "paid" "$(jq -r .registerPayment.grant.paid <<<"$paid")" 14574.90

say "the story holds"
