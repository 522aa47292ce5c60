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
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor"

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

// goldenSignal is how one signal is read, written, processed and compared.
type goldenSignal[T any] struct {
	name    string // logs, metrics, traces: the file infix
	read    func(path string) (T, error)
	write   func(path string, data T) error
	process func(t *testing.T, cfg *Config, data T) T
	compare func(want, got T) error
}

// runGolden feeds each case's input through the processor and compares
// the one batch that comes out with the expected file.
func runGolden[T any](t *testing.T, sig goldenSignal[T]) {
	for _, tc := range goldenCases {
		t.Run(tc.dir+"/"+tc.name, func(t *testing.T) {
			in, path := goldenPaths(tc.dir, tc.name, sig.name)
			data, err := sig.read(in)
			require.NoError(t, err)
			got := sig.process(t, tc.cfg(), data)
			if *updateGolden {
				require.NoError(t, sig.write(path, got))
			}
			want, err := sig.read(path)
			require.NoError(t, err, "missing golden file: run go test -run Golden -update")
			require.NoError(t, sig.compare(want, got))
		})
	}
}

func goldenSettings() processor.Settings {
	return metadatatest.NewSettings(componenttest.NewTelemetry())
}

// Logs through the processor match the golden file exactly: resource
// attributes set, replaced, flagged or dropped, records untouched except
// for the dyno keys mode fir copies onto them.
func TestGoldenLogs(t *testing.T) {
	runGolden(t, goldenSignal[plog.Logs]{
		name:  "logs",
		read:  golden.ReadLogs,
		write: golden.WriteLogsToFile,
		process: func(t *testing.T, cfg *Config, ld plog.Logs) plog.Logs {
			sink := new(consumertest.LogsSink)
			p, err := NewFactory().CreateLogs(context.Background(), goldenSettings(), cfg, sink)
			require.NoError(t, err)
			require.NoError(t, p.ConsumeLogs(context.Background(), ld))
			require.Len(t, sink.AllLogs(), 1)
			return sink.AllLogs()[0]
		},
		compare: func(want, got plog.Logs) error { return plogtest.CompareLogs(want, got) },
	})
}

func TestGoldenMetrics(t *testing.T) {
	runGolden(t, goldenSignal[pmetric.Metrics]{
		name: "metrics",
		read: golden.ReadMetrics,
		write: func(path string, md pmetric.Metrics) error {
			return golden.WriteMetricsToFile(path, md, golden.SkipMetricTimestampNormalization())
		},
		process: func(t *testing.T, cfg *Config, md pmetric.Metrics) pmetric.Metrics {
			sink := new(consumertest.MetricsSink)
			p, err := NewFactory().CreateMetrics(context.Background(), goldenSettings(), cfg, sink)
			require.NoError(t, err)
			require.NoError(t, p.ConsumeMetrics(context.Background(), md))
			require.Len(t, sink.AllMetrics(), 1)
			return sink.AllMetrics()[0]
		},
		// The golden writer sorts resources; the processor keeps their order.
		compare: func(want, got pmetric.Metrics) error {
			return pmetrictest.CompareMetrics(want, got, pmetrictest.IgnoreResourceMetricsOrder())
		},
	})
}

func TestGoldenTraces(t *testing.T) {
	runGolden(t, goldenSignal[ptrace.Traces]{
		name:  "traces",
		read:  golden.ReadTraces,
		write: golden.WriteTracesToFile,
		process: func(t *testing.T, cfg *Config, td ptrace.Traces) ptrace.Traces {
			sink := new(consumertest.TracesSink)
			p, err := NewFactory().CreateTraces(context.Background(), goldenSettings(), cfg, sink)
			require.NoError(t, err)
			require.NoError(t, p.ConsumeTraces(context.Background(), td))
			require.Len(t, sink.AllTraces(), 1)
			return sink.AllTraces()[0]
		},
		compare: func(want, got ptrace.Traces) error { return ptracetest.CompareTraces(want, got) },
	})
}
