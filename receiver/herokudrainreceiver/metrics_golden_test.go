package herokudrainreceiver

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/golden"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/pmetrictest"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"
)

// TestMetricsGolden posts the sample drain and compares the first flush
// (zero start points of new cumulative series included) with
// testdata/golden/sample.metrics.yaml. Only the times change between runs.
func TestMetricsGolden(t *testing.T) {
	body, err := os.ReadFile(filepath.Join("..", "..", "testdata", "drains", "sample.logplex"))
	require.NoError(t, err)
	sink := new(consumertest.MetricsSink)
	r := startInstance(t, "golden-instance", sink)
	post(t, r.url+"?app=acme-web", string(body), nil)
	r.flush(t)
	require.Len(t, sink.AllMetrics(), 1)
	got := sink.AllMetrics()[0]

	path := filepath.Join("testdata", "golden", "sample.metrics.yaml")
	if *updateGolden {
		require.NoError(t, golden.WriteMetrics(t, path, got))
	}
	want, err := golden.ReadMetrics(path)
	require.NoError(t, err)
	require.NoError(t, pmetrictest.CompareMetrics(want, got, pmetrictest.IgnoreTimestamp(), pmetrictest.IgnoreStartTimestamp(),
		pmetrictest.IgnoreMetricDataPointsOrder()))
}
