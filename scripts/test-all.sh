#!/usr/bin/env bash
# Everything CI checks, in order; stops at the first failure and prints a test count at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

export SLO_TEST_JSON="$PWD/.vitest-results"
rm -rf "$SLO_TEST_JSON"
mkdir -p "$SLO_TEST_JSON"
export NX_SKIP_NX_CACHE=true

step() { printf '\n=== %s\n' "$*"; }

step typecheck; npm run typecheck
step lint; npm run lint
step build; npm run build
step check-package; npm run check-package
step test; npm test
step test:services; npm run test:services
step 'release (dry run)'; npm run release:dry-run >/dev/null
node scripts/test-summary.mjs "$SLO_TEST_JSON"
