package herokuappprocessor

import (
	"context"
	"flag"
	"path/filepath"
	"testing"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/golden"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/plogtest"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/pmetrictest"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/ptracetest"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"

	"github.com/herokudrain/herokudrain/processor/herokuappprocessor/internal/metadatatest"
)

// updateGolden rewrites the expected files from what the processor emits now:
//
//	go test ./processor/herokuappprocessor -run Golden -update
//
// Review the diff before committing it: it is the change in output.
var updateGolden = flag.Bool("update", false, "rewrite the expected files under testdata/golden")

// goldenCases pair an input directory under testdata/golden with a
// configuration; each writes <name>.{logs,metrics,traces}.yaml next to the
// inputs (input.{logs,metrics,traces}.yaml).
var goldenCases = []struct {
	name string // expected-file prefix
	dir  string // input directory
	cfg  func() *Config
}{
	{name: "keep", dir: "logplex", cfg: func() *Config { return newTestConfig(UnknownKeep) }},
	{name: "drop", dir: "logplex", cfg: func() *Config { return newTestConfig(UnknownDrop) }},
	{name: "expected", dir: "fir", cfg: firConfig},
}

func goldenPaths(dir, name, signal string) (in, want string) {
	base := filepath.Join("testdata", "golden", dir)
	return filepath.Join(base, "input."+signal+".yaml"), filepath.Join(base, name+"."+signal+".yaml")
}

// Logs through the processor match the golden file exactly: resource
// attributes set, replaced, flagged or dropped, records untouched except
// for the dyno keys mode fir copies onto them.
func TestGoldenLogs(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.dir+"/"+tc.name, func(t *testing.T) {
			in, path := goldenPaths(tc.dir, tc.name, "logs")
			ld, err := golden.ReadLogs(in)
			require.NoError(t, err)
			sink := new(consumertest.LogsSink)
			p, err := NewFactory().CreateLogs(context.Background(), metadatatest.NewSettings(componenttest.NewTelemetry()), tc.cfg(), sink)
			require.NoError(t, err)
			require.NoError(t, p.ConsumeLogs(context.Background(), ld))
			require.Len(t, sink.AllLogs(), 1)
			got := sink.AllLogs()[0]
			if *updateGolden {
				require.NoError(t, golden.WriteLogsToFile(path, got))
			}
			want, err := golden.ReadLogs(path)
			require.NoError(t, err, "missing golden file: run go test -run Golden -update")
			require.NoError(t, plogtest.CompareLogs(want, got))
		})
	}
}

func TestGoldenMetrics(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.dir+"/"+tc.name, func(t *testing.T) {
			in, path := goldenPaths(tc.dir, tc.name, "metrics")
			md, err := golden.ReadMetrics(in)
			require.NoError(t, err)
			sink := new(consumertest.MetricsSink)
			p, err := NewFactory().CreateMetrics(context.Background(), metadatatest.NewSettings(componenttest.NewTelemetry()), tc.cfg(), sink)
			require.NoError(t, err)
			require.NoError(t, p.ConsumeMetrics(context.Background(), md))
			require.Len(t, sink.AllMetrics(), 1)
			got := sink.AllMetrics()[0]
			if *updateGolden {
				require.NoError(t, golden.WriteMetricsToFile(path, got, golden.SkipMetricTimestampNormalization()))
			}
			want, err := golden.ReadMetrics(path)
			require.NoError(t, err, "missing golden file: run go test -run Golden -update")
			// The golden writer sorts resources; the processor keeps their order.
			require.NoError(t, pmetrictest.CompareMetrics(want, got, pmetrictest.IgnoreResourceMetricsOrder()))
		})
	}
}

func TestGoldenTraces(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.dir+"/"+tc.name, func(t *testing.T) {
			in, path := goldenPaths(tc.dir, tc.name, "traces")
			td, err := golden.ReadTraces(in)
			require.NoError(t, err)
			sink := new(consumertest.TracesSink)
			p, err := NewFactory().CreateTraces(context.Background(), metadatatest.NewSettings(componenttest.NewTelemetry()), tc.cfg(), sink)
			require.NoError(t, err)
			require.NoError(t, p.ConsumeTraces(context.Background(), td))
			require.Len(t, sink.AllTraces(), 1)
			got := sink.AllTraces()[0]
			if *updateGolden {
				require.NoError(t, golden.WriteTracesToFile(path, got))
			}
			want, err := golden.ReadTraces(path)
			require.NoError(t, err, "missing golden file: run go test -run Golden -update")
			require.NoError(t, ptracetest.CompareTraces(want, got))
		})
	}
}
