package herokuappprocessor // import "github.com/herokudrain/herokudrain/processor/herokuappprocessor"

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processorhelper"

	"github.com/herokudrain/herokudrain/processor/herokuappprocessor/internal/metadata"
)

var processorCapabilities = consumer.Capabilities{MutatesData: true}

// NewFactory returns the factory of the herokuapp processor.
func NewFactory() processor.Factory {
	return processor.NewFactory(
		metadata.Type,
		createDefaultConfig,
		processor.WithLogs(createLogs, metadata.LogsStability),
		processor.WithMetrics(createMetrics, metadata.MetricsStability),
		processor.WithTraces(createTraces, metadata.TracesStability),
	)
}

func createDefaultConfig() component.Config {
	return &Config{
		Apps:                  map[string]string{},
		AppsFileCheckInterval: defaultFileCheckInterval,
		HerokuAPI: configoptional.Default(HerokuAPIConfig{
			Endpoint:        defaultAPIEndpoint,
			RefreshInterval: defaultRefreshInterval,
			InitialWait:     defaultInitialWait,
			Timeout:         defaultAPITimeout,
		}),
		Unknown: UnknownKeep,
		Mode:    ModeLogplex,
	}
}

func newProcessor(set processor.Settings, cfg component.Config) (*appProcessor, error) {
	tb, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	return newAppProcessor(cfg.(*Config), set.TelemetrySettings, tb), nil
}

func createLogs(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Logs) (processor.Logs, error) {
	p, err := newProcessor(set, cfg)
	if err != nil {
		return nil, err
	}
	fn := p.processLogs
	if p.apps == nil {
		fn = p.firLogs
	}
	return processorhelper.NewLogs(ctx, set, cfg, next, fn,
		processorhelper.WithCapabilities(processorCapabilities),
		processorhelper.WithStart(p.start),
		processorhelper.WithShutdown(p.shutdown))
}

func createMetrics(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Metrics) (processor.Metrics, error) {
	p, err := newProcessor(set, cfg)
	if err != nil {
		return nil, err
	}
	fn := p.processMetrics
	if p.apps == nil {
		fn = p.firMetrics
	}
	return processorhelper.NewMetrics(ctx, set, cfg, next, fn,
		processorhelper.WithCapabilities(processorCapabilities),
		processorhelper.WithStart(p.start),
		processorhelper.WithShutdown(p.shutdown))
}

func createTraces(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Traces) (processor.Traces, error) {
	p, err := newProcessor(set, cfg)
	if err != nil {
		return nil, err
	}
	fn := p.processTraces
	if p.apps == nil {
		fn = p.firTraces
	}
	return processorhelper.NewTraces(ctx, set, cfg, next, fn,
		processorhelper.WithCapabilities(processorCapabilities),
		processorhelper.WithStart(p.start),
		processorhelper.WithShutdown(p.shutdown))
}
