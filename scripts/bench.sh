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
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
"$go" test -run '^$' -bench "$bench" -benchtime "$benchtime" -benchmem "${pkgs[@]}" | tee "$out"

# Ratios against baselines measured in this same run (same machine, same
# load): "ours/baseline" for time per op, so 1.0 means as fast as the naive
# approach and 7 means seven times its cost. Pairs: ours baseline.
echo
echo "bench: ratios against same-run baselines (ns/op ours / ns/op baseline; allocs/op ours vs baseline)"
awk '
	/^Benchmark/ {
		name = $1; sub(/-[0-9]+$/, "", name)
		for (i = 2; i < NF; i++) {
			if ($(i+1) == "ns/op") ns[name] = $i
			if ($(i+1) == "allocs/op") allocs[name] = $i
		}
	}
	END {
		n = split("BenchmarkScanner:BenchmarkBaselineSplitLines BenchmarkBatchLogs:BenchmarkBaselineNaiveLogs BenchmarkBatchBoth:BenchmarkBaselineNaiveLogs BenchmarkParseSample/own:BenchmarkParseSample/strconv", pairs, " ")
		for (p = 1; p <= n; p++) {
			split(pairs[p], ab, ":")
			if ((ab[1] in ns) && (ab[2] in ns) && ns[ab[2]] > 0)
				printf "  %-28s vs %-30s %6.2fx time   allocs/op %s vs %s\n", ab[1], ab[2], ns[ab[1]] / ns[ab[2]], allocs[ab[1]], allocs[ab[2]]
		}
	}' "$out"

if [ -n "${OTELCOL_HEROKU_BIN:-}" ] && [ -x "${OTELCOL_HEROKU_BIN}" ]; then
	echo "bench: end-to-end throughput through ${OTELCOL_HEROKU_BIN}"
	"$go" test -count=1 -run 'TestMillionLinesExactlyOnce' -v -timeout 20m ./e2e/ | grep -E 'throughput|^(ok|FAIL|---)' || true
else
	echo "bench: OTELCOL_HEROKU_BIN unset or not executable; skipping the end-to-end throughput run"
fi
