package herokudrainreceiver

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/metadata"
)

// The defaults are the values the README's configuration table promises,
// and they pass validation: an empty `herokudrain:` block is a working
// receiver.
func TestDefaultConfigIsTheDocumentedOneAndValid(t *testing.T) {
	cfg := NewFactory().CreateDefaultConfig().(*Config)
	require.NoError(t, cfg.Validate())

	assert.Equal(t, "localhost:8080", cfg.NetAddr.Endpoint)
	assert.Equal(t, "/logs", cfg.Path)
	assert.Equal(t, 5*time.Second, cfg.ReadTimeout)
	assert.Equal(t, 5*time.Second, cfg.ReadHeaderTimeout)
	assert.Equal(t, 5*time.Second, cfg.WriteTimeout)
	assert.Equal(t, 65536, cfg.MaxFrameSize)
	assert.Equal(t, SDAuto, cfg.StructuredData)
	assert.Equal(t, 4*time.Second, cfg.ConsumeTimeout)
	assert.Empty(t, cfg.BasicAuth)
	assert.Empty(t, cfg.DrainTokens)
	assert.Equal(t, DedupeConfig{Enabled: true, TTL: 10 * time.Minute, MaxEntries: 100_000}, cfg.Dedupe)
	assert.Equal(t, SplitLinesConfig{Mode: "rejoin", MaxLineBytes: 1 << 20, MaxWait: 5 * time.Second}, cfg.SplitLines)
	assert.False(t, cfg.RouterMetricsURLPath)
	assert.Equal(t, metadata.DefaultMetricsBuilderConfig(), cfg.MetricsBuilderConfig)
}

// Traces are offered for the optional router spans (traces.go).
func TestFactoryOffersLogsMetricsAndTraces(t *testing.T) {
	f := NewFactory()
	assert.Equal(t, metadata.Type, f.Type())
	assert.Equal(t, metadata.LogsStability, f.LogsStability())
	assert.Equal(t, metadata.MetricsStability, f.MetricsStability())
	assert.Equal(t, metadata.TracesStability, f.TracesStability())
	cfg := f.CreateDefaultConfig()
	r, err := f.CreateTraces(context.Background(), receivertest.NewNopSettings(metadata.Type), cfg, consumertest.NewNop())
	require.NoError(t, err)
	require.NoError(t, r.Shutdown(context.Background()))
}

// The collector calls CreateLogs and CreateMetrics with the same *Config
// when both pipelines list the receiver: they must get one receiver (one
// HTTP server on one port), while another config gets its own.
func TestBothSignalsOfOneConfigShareOneReceiver(t *testing.T) {
	f := NewFactory()
	set := receivertest.NewNopSettings(metadata.Type)
	cfg := f.CreateDefaultConfig()
	logs, err := f.CreateLogs(context.Background(), set, cfg, consumertest.NewNop())
	require.NoError(t, err)
	metrics, err := f.CreateMetrics(context.Background(), set, cfg, consumertest.NewNop())
	require.NoError(t, err)
	assert.Same(t, unwrap(t, logs), unwrap(t, metrics))

	other, err := f.CreateLogs(context.Background(), set, f.CreateDefaultConfig(), consumertest.NewNop())
	require.NoError(t, err)
	assert.NotSame(t, unwrap(t, logs), unwrap(t, other))

	for _, c := range []component.Component{logs, metrics, other} {
		require.NoError(t, c.Shutdown(context.Background()))
	}
}

func unwrap(t *testing.T, c component.Component) *drainReceiver {
	t.Helper()
	u, ok := c.(interface{ Unwrap() *drainReceiver })
	require.True(t, ok, "%T does not wrap a *drainReceiver", c)
	return u.Unwrap()
}
