#!/usr/bin/env bash
# Runs every package's integration tests (test/integration/*.int.test.ts) against real services
# that this script starts, and stops them again even when a test fails.
# SLO_SERVICES overrides the services started (default: every service the suites need).
set -uo pipefail
cd "$(dirname "$0")/.."

# Every service with a script; a script that does not exist (yet) is skipped.
services=()
for s in ${SLO_SERVICES:-postgres kafka s3 milvus prometheus}; do
  [[ -f "scripts/services/$s.sh" ]] && services+=("$s")
done
started=()
stop_all() {
  for s in "${started[@]}"; do bash "scripts/services/$s.sh" down || true; done
}
trap stop_all EXIT

# promtool is a binary, not a server: installed, not started.
bash scripts/services/prometheus.sh install || exit 1
bash scripts/services/chromium.sh install || exit 1
for s in "${services[@]}"; do
  bash "scripts/services/$s.sh" up >/dev/null || { echo "could not start $s" >&2; exit 1; }
  started+=("$s")
done

SLO_TEST_KIND=integration npx nx run-many -t test:int --parallel=1 --outputStyle=stream "$@"
