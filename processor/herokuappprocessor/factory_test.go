package herokuappprocessor

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/herokudrain/herokudrain/processor/herokuappprocessor/internal/metadata"
)

// Traces are offered too: router spans of the herokudrain receiver (mode
// logplex) and Fir telemetry (mode fir).
func TestFactoryOffersLogsMetricsAndTraces(t *testing.T) {
	f := NewFactory()
	assert.Equal(t, metadata.Type, f.Type())
	assert.Equal(t, metadata.LogsStability, f.LogsStability())
	assert.Equal(t, metadata.MetricsStability, f.MetricsStability())
	assert.Equal(t, metadata.TracesStability, f.TracesStability())

	set := processortest.NewNopSettings(metadata.Type)
	for _, cfg := range []*Config{newTestConfig(UnknownKeep), firConfig()} {
		p, err := f.CreateTraces(context.Background(), set, cfg, consumertest.NewNop())
		require.NoError(t, err, "mode %s", cfg.Mode)
		require.NoError(t, p.Shutdown(context.Background()))
	}
}
