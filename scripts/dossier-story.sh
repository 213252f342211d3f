#!/usr/bin/env bash
# The dossier of a trajectory end to end, with curl, jq and pdftotext
# against a server started with `go run .`:
#
#   go run . &            # in one terminal
#   bash scripts/dossier-story.sh
#
# The coordinator matches Mechelen with Leuven in the open call; Mechelen
# plans a mentor (6,400.00 a month, 19 of 38 hours, four months); Mechelen
# and Leuven edit the action plan with two indicators and both sign, which
# freezes it; Mechelen uploads the signed agreement and applies (6,400.00);
# the ministry reads the calculation lines in the application file, Leuven's
# copy has no salaries, Kortrijk gets 404; at completion the indicators'
# results show for the ministry, and per theme for the analyst.
set -euo pipefail

BASE=${BASE:-http://localhost:8080}
for tool in jq pdftotext; do
	command -v $tool >/dev/null || { echo "this script needs $tool (apt-get install jq poppler-utils)" >&2; exit 1; }
done

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

# refused LOGIN CODE QUERY VARIABLES-JSON: the operation must fail with CODE.
refused() {
	local out
	out=$(curl -s "$BASE/graphql" -H "Authorization: Bearer $(token "$1")" -H 'Content-Type: application/json' \
		-d "$(jq -n --arg q "$3" --argjson v "$4" '{query: $q, variables: $v}')")
	expect "$1 refused" "$(jq -r '.errors[0].extensions.code' <<<"$out")" "$2"
}

expect() { # expect WHAT GOT WANT
	[ "$2" = "$3" ] || fail "$1: got $2, want $3"
	echo "ok: $1 = $3"
}

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

ids=$(gql vvsg '{ municipalities(first: 50) { edges { node { id nisCode } } } themes { edges { node { id code } } }
	calls(orderBy: {field: YEAR, direction: DESC}, first: 1) { edges { node { id name } } } }')
mechelen=$(jq -r '.municipalities.edges[].node | select(.nisCode=="12025") | .id' <<<"$ids")
leuven=$(jq -r '.municipalities.edges[].node | select(.nisCode=="24062") | .id' <<<"$ids")
impact=$(jq -r '.themes.edges[].node | select(.code=="IMPACT_MEASUREMENT") | .id' <<<"$ids")
call=$(jq -r '.calls.edges[0].node.id' <<<"$ids")
start=$(date -u -d "$(date -u +%Y-%m-01) +1 month" +%F)
end=$(date -u -d "$start +4 months -1 day" +%F)
due=$(date -u -d "$start +1 month" +%F)

say "the coordinator matches Mechelen with Leuven in $(jq -r '.calls.edges[0].node.name' <<<"$ids")"
tr=$(gql vvsg 'mutation($i: CreateTrajectoryInput!) { createTrajectory(input: $i) { trajectory { id } } }' "$(jq -n \
	--arg c "$call" --arg g "$mechelen" --arg r "$leuven" --arg th "$impact" --arg s "$start" --arg e "$end" \
	'{i: {callID: $c, givingID: $g, receivingID: $r, form: "MENTORING", title: "Impact meten in de sociale dienst",
	      themeIDs: [$th], plannedStart: $s, plannedEnd: $e}}')" | jq -r .createTrajectory.trajectory.id)
echo "trajectory $tr, $start to $end"

say "Mechelen plans a mentor: 6,400.00 a month, 19 of 38 hours"
m=$(gql mechelen 'mutation($i: CreateMentorInput!) { createMentor(input: $i) { mentor { id } } }' "$(jq -n --arg mu "$mechelen" \
	--arg e "renee.dewaele.$(date +%s)@mechelen.example" '{i: {municipalityID: $mu, name: "Renée Dewaele", email: $e, jobTitle: "Teamcoach"}}')" |
	jq -r .createMentor.mentor.id)
gql mechelen 'mutation($i: RecordSalaryInput!) { recordSalary(input: $i) { salary { id } } }' "$(jq -n --arg m "$m" --arg f "$start" \
	'{i: {mentorID: $m, monthlyCost: "6400.00", weeklyHours: 38, validFrom: $f}}')" >/dev/null
gql mechelen 'mutation($i: AssignMentorInput!) { assignMentor(input: $i) { trajectory { id } } }' "$(jq -n --arg t "$tr" --arg m "$m" \
	'{i: {trajectoryID: $t, mentorID: $m, plannedWeeklyHours: 19}}')" >/dev/null

PLAN='mutation($i: UpdateActionPlanInput!) { updateActionPlan(input: $i) { trajectory { plan { version sha256 indicators { number name } } } } }'
say "Mechelen writes goals and actions, Leuven two indicators"
gql mechelen "$PLAN" "$(jq -n --arg t "$tr" --arg d "$due" '{i: {trajectoryID: $t, actionPlan: "Leuven leert meten wat zijn sociale dienst bereikt.",
	goals: [{description: "Een jaarlijkse effectmeting"}], actions: [{what: "Nulmeting van de wachttijden", side: "RECEIVING", due: $d}]}}')" >/dev/null
plan=$(gql leuven "$PLAN" "$(jq -n --arg t "$tr" '{i: {trajectoryID: $t, indicators: [
	{name: "Wachttijd eerste afspraak", unit: "dagen", baseline: 21, target: 10},
	{name: "Cliënten met automatisch toegekende rechten", unit: "%", baseline: 40, target: 60}]}}')")
expect "plan version" "$(jq -r .updateActionPlan.trajectory.plan.version <<<"$plan")" 2
hash=$(jq -r .updateActionPlan.trajectory.plan.sha256 <<<"$plan")

say "both sign: the plan freezes"
SIGN='mutation($i: SignAgreementInput!) { signAgreement(input: $i) { trajectory { status } } }'
gql leuven "$SIGN" "$(jq -n --arg t "$tr" '{i: {trajectoryID: $t}}')" >/dev/null
st=$(gql mechelen "$SIGN" "$(jq -n --arg t "$tr" '{i: {trajectoryID: $t}}')" | jq -r .signAgreement.trajectory.status)
expect "status after both signed" "$st" AGREED
ag=$(gql vvsg 'query($id: ID!) { node(id: $id) { ... on Trajectory { agreement { planVersion planSha256 } plan { frozen } } } }' "$(jq -n --arg t "$tr" '{id: $t}')")
expect "agreement's plan version" "$(jq -r .node.agreement.planVersion <<<"$ag")" 2
expect "agreement's plan hash" "$(jq -r .node.agreement.planSha256 <<<"$ag")" "$hash"
refused leuven CONFLICT "$PLAN" "$(jq -n --arg t "$tr" '{i: {trajectoryID: $t, actionPlan: "Toch nog iets anders."}}')"

say "Mechelen uploads the signed agreement (a multipart request) and applies"
printf '%%PDF-1.4\n%% Overeenkomst Mechelen - Leuven, ondertekend door beide besturen\n%%%%EOF\n' >"$TMP/overeenkomst.pdf"
up=$(curl -s "$BASE/graphql" -H "Authorization: Bearer $(token mechelen)" \
	-F operations="$(jq -nc --arg t "$tr" '{query: "mutation($i: UploadDocumentInput!) { uploadDocument(input: $i) { document { id kind sha256 url } } }",
		variables: {i: {trajectoryID: $t, kind: "AGREEMENT_SIGNED", file: null}}}')" \
	-F map='{"0":["variables.i.file"]}' -F 0=@"$TMP/overeenkomst.pdf")
url=$BASE$(jq -r .data.uploadDocument.document.url <<<"$up")
expect "stored SHA-256" "$(jq -r .data.uploadDocument.document.sha256 <<<"$up")" "$(sha256sum "$TMP/overeenkomst.pdf" | cut -d' ' -f1)"
expect "ministry downloads the agreement" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(token ministry)" "$url")" 200
expect "kortrijk downloads the agreement" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(token kortrijk)" "$url")" 404
g=$(gql mechelen 'mutation($i: SubmitGrantApplicationInput!) { submitGrantApplication(input: $i) { grant { id status requested } } }' \
	"$(jq -n --arg t "$tr" '{i: {trajectoryID: $t}}')")
expect "application" "$(jq -r '.submitGrantApplication.grant | .status + " " + .requested' <<<"$g")" "RESERVED 6400.00"
grant=$(jq -r .submitGrantApplication.grant.id <<<"$g")

say "the application file"
pdf=$BASE$(gql ministry 'query($id: ID!) { node(id: $id) { ... on Grant { applicationPdfURL } } }' "$(jq -n --arg g "$grant" '{id: $g}')" | jq -r .node.applicationPdfURL)
for login in ministry leuven kortrijk; do
	code=$(curl -s -o "$TMP/$login.pdf" -w '%{http_code}' -H "Authorization: Bearer $(token "$login")" "$pdf")
	echo "$login: HTTP $code"
done
pdftotext -layout "$TMP/ministry.pdf" "$TMP/ministry.txt"
pdftotext -layout "$TMP/leuven.pdf" "$TMP/leuven.txt"
grep -E 'Renée|€ 1.600,00|Gevraagd bedrag' "$TMP/ministry.txt"
expect "calculation lines in the ministry's copy" "$(grep -c '€ 1.600,00' "$TMP/ministry.txt")" 4
expect "calculation lines in Leuven's copy" "$(grep -c '€ 1.600,00' "$TMP/leuven.txt" || true)" 0
expect "requested amount in Leuven's copy" "$(grep -c 'Gevraagd bedrag .*€ 6.400,00' "$TMP/leuven.txt")" 1

say "approval, start and completion with the indicators' results"
gql ministry 'mutation($i: DecideGrantInput!) { decideGrant(input: $i) { grant { status } } }' "$(jq -n --arg g "$grant" '{i: {grantID: $g, approve: true, awarded: "6400.00"}}')" >/dev/null
gql mechelen 'mutation($i: StartTrajectoryInput!) { startTrajectory(input: $i) { trajectory { status } } }' "$(jq -n --arg t "$tr" '{i: {trajectoryID: $t}}')" >/dev/null
gql leuven 'mutation($i: CompleteTrajectoryInput!) { completeTrajectory(input: $i) { trajectory { status } } }' "$(jq -n --arg t "$tr" \
	'{i: {trajectoryID: $t, evaluationReport: "De wachttijd is gehalveerd.", indicatorResults: [{indicator: 1, result: 9}, {indicator: 2, result: 50}]}}')" >/dev/null
gql ministry 'query($id: ID!) { node(id: $id) { ... on Trajectory { status plan { indicators { number name baseline target result } } } } }' \
	"$(jq -n --arg t "$tr" '{id: $t}')" | jq -c '.node'
gql analyst '{ indicatorStatistics { theme { code } trajectories indicators indicatorsMet meanAchievement } }' |
	jq -c '.indicatorStatistics[] | select(.indicators > 0)'
expect "the analyst reads no plan" "$(gql analyst 'query($id: ID!) { node(id: $id) { ... on Trajectory { plan { version } } } }' "$(jq -n --arg t "$tr" '{id: $t}')" | jq -r .node.plan)" null
say "done"
