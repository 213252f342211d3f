#!/usr/bin/env bash
# Fetches the GraphiQL and React builds that server/graphiql embeds, from the
# npm registry, and replaces the copies in server/graphiql/assets/. Run it by
# hand after changing a version below (CI never runs it: the files are
# committed, so that the binary needs no network and a build needs no npm),
# then update the table in README.md, run `go test ./server/graphiql/` and
# look at GraphiQL in a browser (bash e2e/run.sh checks it).
#
# GraphiQL 3.x is the last line with a UMD build (graphiql.min.js, a global
# GraphiQL on top of the global React and ReactDOM); React 18 is the last
# line with UMD builds. Keep GraphiQL's peerDependencies satisfied: the
# script checks that react and react-dom are in the range it asks for.
set -euo pipefail

GRAPHIQL=3.9.0
REACT=18.3.1

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
assets="$here/assets"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/graphiql-update.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# fetch PACKAGE VERSION DEST FILE... : npm pack the exact version (npm checks
# the tarball against the registry's integrity hash), then copy the named
# files (paths inside the tarball's package/ directory) and its LICENSE into
# assets/DEST/.
fetch() {
	local pkg=$1 version=$2 dest=$3
	shift 3
	mkdir -p "$tmp/$pkg"
	(cd "$tmp/$pkg" && npm pack --silent "$pkg@$version" >/dev/null)
	tar -xzf "$tmp/$pkg"/*.tgz -C "$tmp/$pkg"
	rm -rf "${assets:?}/$dest"
	mkdir -p "$assets/$dest"
	for f in "$@" LICENSE; do
		cp "$tmp/$pkg/package/$f" "$assets/$dest/$(basename "$f")"
	done
	echo "$pkg@$version -> assets/$dest/: $* LICENSE"
}

fetch graphiql "$GRAPHIQL" graphiql graphiql.min.js graphiql.min.css
fetch react "$REACT" react umd/react.production.min.js
fetch react-dom "$REACT" react-dom umd/react-dom.production.min.js

# The versions must fit together: print GraphiQL's peer ranges next to the
# versions chosen, and refuse a React outside them.
node -e '
const peers = require(process.argv[1]).peerDependencies;
const react = process.argv[2];
console.log("graphiql peerDependencies:", JSON.stringify(peers));
for (const p of ["react", "react-dom"]) {
  const major = react.split(".")[0];
  const ok = peers[p].split("||").some((r) => r.trim().replace(/^\^/, "").split(".")[0] === major);
  if (!ok) { console.error(`${p}@${react} is outside the graphiql peer range ${peers[p]}`); process.exit(1); }
}' "$tmp/graphiql/package/package.json" "$REACT"

echo
echo "sha256 of the embedded files (for README.md):"
(cd "$assets" && sha256sum graphiql/* react/* react-dom/*)
