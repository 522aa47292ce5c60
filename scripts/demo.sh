#!/usr/bin/env bash
# demo.sh BIN CONFIG SAMPLE: start the collector BIN with CONFIG, post the
# Logplex drain body SAMPLE to it the way Logplex does, stop the collector and
# show what came out of its debug exporter. `make demo` passes absolute paths,
# so it works from any directory (`make -C /path/to/herokudrain demo`).
#
# The receiver and health_check endpoints are the ones of
# testdata/collector/default.yaml: localhost:8080/logs and localhost:13133.
set -euo pipefail

bin=${1:?usage: demo.sh BIN CONFIG SAMPLE}
config=${2:?usage: demo.sh BIN CONFIG SAMPLE}
sample=${3:?usage: demo.sh BIN CONFIG SAMPLE}
drain_url=${DEMO_DRAIN_URL:-http://localhost:8080/logs?app=acme}
health_url=${DEMO_HEALTH_URL:-http://localhost:13133/}
token=d.fc6b856b-3332-4546-93de-7d0ee272c3bd # mapped to acme-web in default.yaml

for f in "$bin" "$config" "$sample"; do
	[[ -e $f ]] || { echo "demo: $f does not exist" >&2; exit 1; }
done
if curl -s -o /dev/null "$health_url"; then
	echo "demo: something already answers on $health_url (a collector from 'make run'?); stop it first" >&2
	exit 1
fi

out=$(mktemp -t otelcol-heroku-demo.XXXXXX)
"$bin" --config "$config" >"$out" 2>&1 &
pid=$!
stop() {
	if kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
}
trap stop EXIT

echo "demo: started $bin (pid $pid) with $config"
for _ in $(seq 1 100); do
	curl -s -o /dev/null "$health_url" && break
	kill -0 "$pid" 2>/dev/null || { echo "demo: the collector exited:" >&2; cat "$out" >&2; exit 1; }
	sleep 0.1
done

frames=$(grep -o '<[0-9]\{1,3\}>1 ' "$sample" | wc -l | tr -d ' ')
frame_id=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n' | tr 'a-f' 'A-F')
echo "demo: posting $sample ($frames frames) to $drain_url"
status=$(curl -s -o /dev/null -w '%{http_code}' "$drain_url" \
	-H 'Content-Type: application/logplex-1' -H 'User-Agent: Logplex/v123' \
	-H "Logplex-Msg-Count: $frames" -H "Logplex-Frame-Id: $frame_id" \
	-H "Logplex-Drain-Token: $token" \
	--data-binary @"$sample")
echo "demo: the receiver answered HTTP $status"

# The default config batches for 1 s; give the debug exporter time to print.
sleep 2
stop
trap - EXIT

records=$(grep -c '^LogRecord #' "$out" || true)
points=$(grep -c 'NumberDataPoints #\|HistogramDataPoints #\|ExponentialHistogramDataPoints #' "$out" || true)
echo
echo "=== what came out: $records log records, $points metric data points ==="
echo "--- resource"
grep -m3 -E '^ *-> (service\.name|heroku\.drain\.token|cloud\.provider):' "$out" | sed 's/^ *//' || true
echo "--- log records (severity, event name, body)"
awk '
	/^LogRecord #/ { n++; sev = ""; ev = "" }
	/^SeverityText:/ { sev = $2 }
	/^EventName:/ { ev = $2 }
	/^Body:/ { body = substr($0, 7); if (length(body) > 90) body = substr(body, 1, 87) "..."; printf "%-5s %-28s %s\n", sev, ev, body }
' "$out"
echo "--- metrics"
grep -E '^ *-> Name: ' "$out" | sed 's/^ *-> Name: //' | sort -u | paste -sd' ' | fold -s -w 100
echo
echo "demo: the collector's full output is in $out"
[[ $status == 200 ]]
