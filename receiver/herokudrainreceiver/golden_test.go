package herokudrainreceiver

import (
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/golden"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/plogtest"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
)

// updateGolden rewrites the golden files from what the receiver emits now:
//
//	go test ./receiver/herokudrainreceiver -run Golden -update
//
// Review the diff before committing it: it is the change in output.
var updateGolden = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// goldenDrains are the drain bodies whose emitted logs are pinned: the
// repository's sample drains (shared with the e2e tests and the README's
// curl example), this package's malformed body, and a body from a sender
// that is not Logplex (*.syslog: octet-counted RFC 5424 with
// STRUCTURED-DATA, as log-shuttle or a syslog client sends it).
func goldenDrains(t *testing.T) []string {
	t.Helper()
	var all []string
	for _, pattern := range []string{
		filepath.Join("..", "..", "testdata", "drains", "*.logplex"),
		filepath.Join("testdata", "drains", "*.logplex"),
		filepath.Join("testdata", "drains", "*.syslog"),
	} {
		found, err := filepath.Glob(pattern)
		require.NoError(t, err)
		all = append(all, found...)
	}
	require.GreaterOrEqual(t, len(all), 5, "drain fixtures are missing")
	return all
}

// Each drain body, posted the way Logplex posts it, yields exactly the log
// records in its golden file: bodies, timestamps, severities, attributes and
// the resource (ObservedTimestamp, the time of receipt, is left out).
func TestGoldenLogs(t *testing.T) {
	for _, drain := range goldenDrains(t) {
		name := strings.TrimSuffix(filepath.Base(drain), filepath.Ext(drain))
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(drain)
			require.NoError(t, err)
			sink := new(consumertest.LogsSink)
			r := start(t, nil, pipelines{logs: sink})
			hdr := map[string]string{"Logplex-Frame-Id": "golden-" + name}
			if filepath.Ext(drain) == ".syslog" {
				// Not Logplex: no Logplex headers, so SD is looked for.
				hdr = map[string]string{"User-Agent": "log-shuttle/0.21", "Content-Type": "application/syslog",
					"Logplex-Frame-Id": "", "Logplex-Drain-Token": ""}
			}
			resp := post(t, r.url+"?app=acme-web", string(body), hdr)
			require.Equal(t, http.StatusOK, resp.StatusCode)
			require.Len(t, sink.AllLogs(), 1, "one request, one batch")
			got := sink.AllLogs()[0]
			clearObservedTimestamps(got)

			file := filepath.Join("testdata", "golden", name+".logs.yaml")
			if *updateGolden {
				require.NoError(t, golden.WriteLogsToFile(file, got))
				t.Logf("rewrote %s", file)
			}
			want, err := golden.ReadLogs(file)
			require.NoError(t, err, "missing golden file: run go test -run TestGoldenLogs -update")
			require.NoError(t, plogtest.CompareLogs(want, got))
		})
	}
}

func clearObservedTimestamps(ld plog.Logs) {
	for _, rl := range ld.ResourceLogs().All() {
		for _, sl := range rl.ScopeLogs().All() {
			for _, lr := range sl.LogRecords().All() {
				lr.SetObservedTimestamp(0)
			}
		}
	}
}
