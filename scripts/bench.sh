#!/usr/bin/env bash
# Run the Go benchmarks of the root module (not e2e), and, when the
# distribution binary exists, the end-to-end throughput test.
#
#   scripts/bench.sh                 BENCHTIME=1s BENCH=. by default
#   OTELCOL_HEROKU_BIN=dist/otelcol-heroku scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."

go="${GO:-go}"
benchtime="${BENCHTIME:-1s}"
bench="${BENCH:-.}"

mapfile -t pkgs < <("$go" list ./... | grep -v '/e2e$')
"$go" test -run '^$' -bench "$bench" -benchtime "$benchtime" -benchmem "${pkgs[@]}"

if [ -n "${OTELCOL_HEROKU_BIN:-}" ] && [ -x "${OTELCOL_HEROKU_BIN}" ]; then
	echo "bench: end-to-end throughput through ${OTELCOL_HEROKU_BIN}"
	"$go" test -count=1 -run 'TestMillionLinesExactlyOnce' -v -timeout 20m ./e2e/ | grep -E 'throughput|^(ok|FAIL|---)' || true
else
	echo "bench: OTELCOL_HEROKU_BIN unset or not executable; skipping the end-to-end throughput run"
fi
