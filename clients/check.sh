#!/usr/bin/env bash
# The typed clients against the schema, and the breaking-change gate:
# bash clients/check.sh (from anywhere). .ci/run runs it; it needs Node 20+
# with npm, Go and git.
#
# 1. Breaking changes: graphql-inspector diff of clients/schema.graphql (the
#    whole schema, written by go generate) against the same file at a base
#    revision: SCHEMA_BASE if set, else HEAD when the file has uncommitted
#    changes, else HEAD^ (the first parent: on a merge, main before it). A
#    breaking change fails the check unless a commit between the base and
#    HEAD acknowledges it with a line "Breaking-Schema-Change: <why>" in its
#    message (the diff is still printed).
# 2. clients/typescript: graphql-codegen (client preset) generates the typed
#    documents of the portal's operations and tsc type-checks them and
#    src/usage.ts, which reads the results as the portal does.
# 3. examples/partner-sync: genqlient regenerates its Go code from the
#    schema (in a scratch copy), which must equal the committed code, and
#    it builds and vets.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
cd "$repo"

if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' 2>/dev/null; then
  echo "the client checks need Node 20 or later with npm (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

# npm packages exactly as locked, installed again only when the lock changed
# (npm's own cache in ~/.npm serves them without the network after the first
# time).
ts="$here/typescript"
if [ ! -f "$ts/node_modules/.package-lock.json" ] || [ "$ts/package-lock.json" -nt "$ts/node_modules/.package-lock.json" ]; then
  echo "== npm ci (clients/typescript)"
  (cd "$ts" && npm ci --no-audit --no-fund --prefer-offline)
fi

echo "== breaking changes in clients/schema.graphql"
schema=clients/schema.graphql
if [ -n "${SCHEMA_BASE:-}" ]; then
  base="$SCHEMA_BASE"
elif ! git diff --quiet HEAD -- "$schema" 2>/dev/null; then
  base=HEAD
else
  base=HEAD^
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/wisselaar-clients.XXXXXX")"
trap 'rm -rf "$work"' EXIT
if ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
  echo "no revision $base to compare with: skipped"
elif ! git show "$base:$schema" >"$work/base.graphql" 2>/dev/null; then
  echo "$base has no $schema: nothing to compare with"
else
  echo "against $base ($(git rev-parse --short "$base"))"
  if ! (cd "$ts" && npx graphql-inspector diff "$work/base.graphql" "$repo/$schema"); then
    ack=$(git log --format=%B "$base..HEAD" 2>/dev/null | grep -i '^Breaking-Schema-Change:' || true)
    if [ -z "$ack" ]; then
      echo "breaking schema changes (above): keep the old fields (deprecate them), or acknowledge the break" >&2
      echo "with a line 'Breaking-Schema-Change: <why>' in a commit message (see clients/README.md)" >&2
      exit 1
    fi
    echo "acknowledged: $ack"
  fi
fi

echo "== clients/typescript: graphql-codegen and tsc"
(cd "$ts" && npx graphql-codegen --config codegen.ts --silent && npx tsc --noEmit)

echo "== examples/partner-sync: genqlient and go build"
mkdir -p "$work/tree/clients" "$work/tree/examples"
cp "$schema" "$work/tree/clients/"
cp -a examples/partner-sync "$work/tree/examples/"
(cd "$work/tree/examples/partner-sync" && go generate ./... && go vet ./... && go build -o /dev/null .)
if ! cmp -s examples/partner-sync/generated.go "$work/tree/examples/partner-sync/generated.go"; then
  echo "examples/partner-sync/generated.go is not what genqlient makes from the schema:" >&2
  diff examples/partner-sync/generated.go "$work/tree/examples/partner-sync/generated.go" | head -n 60 >&2 || true
  echo "run 'go generate ./...' in examples/partner-sync and commit the result" >&2
  exit 1
fi
echo "clients: ok"
