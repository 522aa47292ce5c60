#!/usr/bin/env bash
# Promtail's heroku_drain beside otelcol-heroku and the HTTP floor, same
# bodies, same load generator, one core each.
#
#   scripts/promtail-bench.sh /path/to/promtail [/path/to/otelcol-heroku]
#
# Promtail is not part of this repository and is not installed by it (it
# belongs to Grafana Loki, under the AGPL); bring your own binary. Without
# one this script only says so. Promtail runs with a heroku_drain scrape job
# and pushes to a bare read-and-discard HTTP server standing in for Loki.
set -euo pipefail
cd "$(dirname "$0")/.."

promtail="${1:-${PROMTAIL_BIN:-}}"
bin="${2:-${OTELCOL_HEROKU_BIN:-$PWD/dist/otelcol-heroku}}"
if [ -z "$promtail" ]; then
	echo "promtail-bench: no Promtail binary given (scripts/promtail-bench.sh /path/to/promtail); nothing run"
	exit 0
fi
[ -x "$bin" ] || { echo "promtail-bench: $bin missing; run make build" >&2; exit 1; }
mkdir -p bench/out
(cd bench && go run ./cmd/drainload -bin "$bin" -promtail-bin "$promtail" -targets floor,collector,promtail \
	-conns 8 -duration "${E2E_DURATION:-10s}" -rounds "${E2E_ROUNDS:-2}" -raw out/promtail.txt)
