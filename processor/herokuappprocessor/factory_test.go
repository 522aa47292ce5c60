package herokuappprocessor

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/herokudrain/herokudrain/processor/herokuappprocessor/internal/metadata"
)

func TestFactoryOffersLogsAndMetricsOnly(t *testing.T) {
	f := NewFactory()
	assert.Equal(t, metadata.Type, f.Type())
	assert.Equal(t, metadata.LogsStability, f.LogsStability())
	assert.Equal(t, metadata.MetricsStability, f.MetricsStability())

	set := processortest.NewNopSettings(metadata.Type)
	_, err := f.CreateTraces(context.Background(), set, newTestConfig(UnknownKeep), consumertest.NewNop())
	assert.Error(t, err, "Logplex drains carry no traces")
}
