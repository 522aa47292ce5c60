package herokudrainreceiver

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/golden"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/pmetrictest"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"
)

// Golden files are rewritten with `go test -run Golden -update`. Another
// golden test of this package may define the flag first.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files under testdata/ with what the code emits now")
	}
}

func updateGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// TestMetricsGolden posts the sample drain and compares the first flush
// (zero start points of new cumulative series included) with
// testdata/metrics/sample.yaml. Only the times change between runs.
func TestMetricsGolden(t *testing.T) {
	body, err := os.ReadFile(filepath.Join("..", "..", "testdata", "drains", "sample.logplex"))
	require.NoError(t, err)
	sink := new(consumertest.MetricsSink)
	r := startInstance(t, "golden-instance", sink)
	post(t, r.url+"?app=acme-web", string(body), nil)
	r.flush(t)
	require.Len(t, sink.AllMetrics(), 1)
	got := sink.AllMetrics()[0]

	path := filepath.Join("testdata", "metrics", "sample.yaml")
	if updateGolden() {
		require.NoError(t, golden.WriteMetrics(t, path, got))
	}
	want, err := golden.ReadMetrics(path)
	require.NoError(t, err)
	require.NoError(t, pmetrictest.CompareMetrics(want, got, pmetrictest.IgnoreTimestamp(), pmetrictest.IgnoreStartTimestamp(),
		pmetrictest.IgnoreMetricDataPointsOrder()))
}
