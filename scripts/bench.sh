#!/usr/bin/env bash
# make bench: side-by-side benchmarks, every figure with a ratio against its
# baseline measured in the same run.
#
#   1. framing + header parsing: the receiver's scanner (BenchmarkFraming in
#      receiver/herokudrainreceiver/internal/logplex) against heroku/x
#      DrainScanner and go-syslog octet counting (bench/framing) on the same
#      committed bodies (testdata/drains/*.logplex, testdata/drains/bench/);
#   2. full translation per line (BenchmarkTranslate in internal/translate);
#   3. end to end over loopback HTTP (bench/cmd/drainload): the otelcol-heroku
#      binary (herokudrain -> nop, logs + metrics pipelines, GOMAXPROCS=1)
#      beside a bare net/http read-and-discard floor, interleaved rounds;
#   4. scaling: 1, 8, 64 connections; 1, 100, 10000 drain tokens/dynos;
#   and the root module's other ours-vs-naive pairs (scanner vs line
#   splitting, batch vs a naive receiver, sample parsing vs strconv).
#
# Raw `go test -bench` and drainload outputs land in bench/out/ (gitignored)
# in Go benchmark format; compare two runs with benchstat, e.g.
#   benchstat -ignore pkg -col /impl bench/out/go.txt
#
# Environment: BENCHTIME (1s), COUNT (1), E2E_DURATION (10s), E2E_ROUNDS (2),
# SCALE_DURATION (10s), SKIP_E2E=1, SKIP_SCALING=1,
# OTELCOL_HEROKU_BIN (dist/otelcol-heroku), PROMTAIL_BIN (optional: adds
# Promtail's heroku_drain to the end-to-end table; see scripts/promtail-bench.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

go="${GO:-go}"
benchtime="${BENCHTIME:-1s}"
count="${COUNT:-1}"
out=bench/out
mkdir -p "$out"
start=$SECONDS

echo "== Go benchmarks (-cpu 1 -benchtime $benchtime -count $count)"
"$go" test -run '^$' -bench 'BenchmarkFraming|BenchmarkTranslate' -cpu 1 -benchtime "$benchtime" -count "$count" -benchmem \
	./receiver/herokudrainreceiver/internal/logplex ./receiver/herokudrainreceiver/internal/translate >"$out/go-ours.txt"
(cd bench && "$go" test -run '^$' -bench 'BenchmarkFraming' -cpu 1 -benchtime "$benchtime" -count "$count" -benchmem ./framing) >"$out/go-peers.txt"
cat "$out/go-ours.txt" "$out/go-peers.txt" >"$out/go.txt"
(cd bench && "$go" run ./cmd/benchtable "out/go.txt")

# The root module's other baseline pairs (ours vs the naive way, same run):
# time per op as "ours/baseline", so 1.0 means as fast as the naive approach.
echo
echo "== baseline pairs (ns/op ours / ns/op baseline; allocs/op ours vs baseline)"
"$go" test -run '^$' -bench '^(BenchmarkScanner|BenchmarkBaselineSplitLines|BenchmarkBatchLogs|BenchmarkBatchBoth|BenchmarkBaselineNaiveLogs|BenchmarkParseSample)$' \
	-benchtime "$benchtime" -count "$count" -benchmem ./receiver/herokudrainreceiver/internal/logplex \
	./receiver/herokudrainreceiver/internal/translate ./receiver/herokudrainreceiver/internal/heroku >"$out/go-pairs.txt"
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
	}' "$out/go-pairs.txt"
echo

bin="${OTELCOL_HEROKU_BIN:-}"
if [ -z "$bin" ] && [ -x dist/otelcol-heroku ]; then bin="$PWD/dist/otelcol-heroku"; fi
if [ "${SKIP_E2E:-}" = 1 ] || [ -z "$bin" ]; then
	echo "== end to end: skipped (SKIP_E2E=1 or no binary; run make build or set OTELCOL_HEROKU_BIN)"
	echo "bench: done in $((SECONDS - start)) s"
	exit 0
fi

(cd bench && "$go" build -o out/drainload ./cmd/drainload)
targets=floor,collector
if [ -n "${PROMTAIL_BIN:-}" ]; then targets=floor,collector,promtail; fi
rm -f "$out/e2e.txt" "$out/scaling.txt"

echo
echo "== end to end: $targets, 8 connections, mixed-100k body"
(cd bench && out/drainload -bin "$bin" -targets "$targets" -conns 8 \
	-duration "${E2E_DURATION:-10s}" -rounds "${E2E_ROUNDS:-2}" -raw out/e2e.txt)

if [ "${SKIP_SCALING:-}" != 1 ]; then
	echo
	echo "== scaling over connections (1 round each)"
	(cd bench && out/drainload -bin "$bin" -targets floor,collector -conns 1,8,64 \
		-duration "${SCALE_DURATION:-10s}" -rounds 1 -raw out/scaling.txt)
	echo
	echo "== scaling over distinct drain tokens/dynos (8 connections, 1 round each)"
	(cd bench && out/drainload -bin "$bin" -targets floor,collector -conns 8 -tokens 1,100,10000 \
		-duration "${SCALE_DURATION:-10s}" -rounds 1 -raw out/scaling.txt)
fi
echo
echo "bench: done in $((SECONDS - start)) s; raw results in $out/ (go.txt, e2e.txt, scaling.txt)"
