#!/usr/bin/env bash
# Re-vendors GraphiQL and React from the npm registry (see README.md). Change the versions
# below, run this script, check /graphiql in a browser, run the browser test, and record the
# new versions in README.md and CHANGELOG.md.
set -euo pipefail
cd "$(dirname "$0")"

GRAPHIQL=3.9.0
REACT=18.3.1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

unpack() { # <package> <version>: unpacks the registry tarball into $work/<package>
  (cd "$work" && npm pack --silent "$1@$2" >/dev/null)
  mkdir -p "$work/$1"
  tar xzf "$work/$1-$2.tgz" -C "$work/$1"
}

unpack graphiql "$GRAPHIQL"
unpack react "$REACT"
unpack react-dom "$REACT"

cp "$work/graphiql/package/graphiql.min.js" graphiql.min.js
cp "$work/graphiql/package/graphiql.min.css" graphiql.min.css
cp "$work/graphiql/package/LICENSE" LICENSE.graphiql
cp "$work/react/package/umd/react.production.min.js" react.production.min.js
cp "$work/react/package/LICENSE" LICENSE.react
cp "$work/react-dom/package/umd/react-dom.production.min.js" react-dom.production.min.js
cp "$work/react-dom/package/LICENSE" LICENSE.react-dom

# The bundles end with a source-map comment naming a .map file that is not vendored:
# drop it, so that a browser's developer tools do not ask Concord for it.
for f in graphiql.min.js react.production.min.js react-dom.production.min.js graphiql.min.css; do
  sed -i -e '/^\/\/# sourceMappingURL=/d' -e 's#/\*\# sourceMappingURL=[^*]*\*/##' "$f"
done

sha256sum graphiql.min.js graphiql.min.css react.production.min.js react-dom.production.min.js
