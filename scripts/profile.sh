#!/usr/bin/env bash
# CPU and allocation profiles of the translation (BenchmarkTranslate on the
# mixed 100 KB batch, one core) and of the end-to-end drain path (the
# receiver alone in a GOMAXPROCS=1 process under drainload, 8 connections),
# written to bench/out/prof/, with the top entries printed.
#
#   scripts/profile.sh            PROFILE_TIME (10s) of end-to-end load
#   go tool pprof -http=: bench/out/prof/e2e.cpu     to explore
set -euo pipefail
cd "$(dirname "$0")/.."
go="${GO:-go}"
p=bench/out/prof
mkdir -p "$p"
pkg=./receiver/herokudrainreceiver/internal/translate
"$go" test -run '^$' -bench 'BenchmarkTranslate/body=mixed-100k' -cpu 1 -benchtime 3s -benchmem \
	-cpuprofile "$p/translate.cpu" -o "$p/translate.test" "$pkg" | grep '^Benchmark'
"$go" test -run '^$' -bench 'BenchmarkTranslate/body=mixed-100k' -cpu 1 -benchtime 1s -benchmem \
	-memprofile "$p/translate.mem" -o "$p/translate.test" "$pkg" >/dev/null
(cd bench && "$go" build -o out/drainload ./cmd/drainload &&
	out/drainload -targets receiver -conns 8 -duration "${PROFILE_TIME:-10s}" -rounds 1 \
		-cpuprofile out/prof/e2e.cpu -memprofile out/prof/e2e.mem)
for prof in translate e2e; do
	bin=""
	[ "$prof" = translate ] && bin="$p/translate.test"
	echo; echo "== $prof: CPU, cumulative"
	"$go" tool pprof -top -cum -nodecount 25 $bin "$p/$prof.cpu" 2>/dev/null | sed -n '/flat%/,$p'
	echo; echo "== $prof: allocations (objects)"
	"$go" tool pprof -sample_index=alloc_objects -top -nodecount 12 $bin "$p/$prof.mem" 2>/dev/null | sed -n '/flat%/,$p'
done
