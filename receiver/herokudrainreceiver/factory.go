package herokudrainreceiver // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver"

import (
	"context"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/receiver"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/metadata"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/sharedcomponent"
)

// NewFactory returns the factory of the herokudrain receiver.
func NewFactory() receiver.Factory {
	return receiver.NewFactory(
		metadata.Type,
		createDefaultConfig,
		receiver.WithLogs(createLogs, metadata.LogsStability),
		receiver.WithMetrics(createMetrics, metadata.MetricsStability),
	)
}

func createDefaultConfig() component.Config {
	srv := confighttp.NewDefaultServerConfig()
	srv.NetAddr.Endpoint = defaultEndpoint
	// Logplex gives up on a request after 5 s; a body that takes longer to
	// arrive is lost to us anyway, and a slow client must not pin a handler.
	srv.ReadTimeout = logplexTimeout
	srv.ReadHeaderTimeout = logplexTimeout
	srv.WriteTimeout = logplexTimeout
	return &Config{
		ServerConfig:   srv,
		Path:           defaultPath,
		MaxFrameSize:   defaultMaxFrameSize,
		StructuredData: SDAuto,
		ConsumeTimeout: defaultConsumeTimeout,
		Dedupe: DedupeConfig{
			Enabled:    true,
			TTL:        10 * time.Minute,
			MaxEntries: 100_000,
		},
		SplitLines:               defaultSplitLinesConfig(),
		MetricsAggregationConfig: defaultMetricsAggregation(),
		MetricsBuilderConfig:     metadata.DefaultMetricsBuilderConfig(),
	}
}

// receivers keeps one drainReceiver per config so the logs and the metrics
// pipeline share one HTTP server.
var receivers = sharedcomponent.NewMap[*Config, *drainReceiver]()

func createLogs(_ context.Context, set receiver.Settings, cfg component.Config, next consumer.Logs) (receiver.Logs, error) {
	c := cfg.(*Config)
	r, err := receivers.LoadOrStore(c, func() (*drainReceiver, error) { return newDrainReceiver(c, set) })
	if err != nil {
		return nil, err
	}
	r.Unwrap().setLogs(next)
	return r, nil
}

func createMetrics(_ context.Context, set receiver.Settings, cfg component.Config, next consumer.Metrics) (receiver.Metrics, error) {
	c := cfg.(*Config)
	r, err := receivers.LoadOrStore(c, func() (*drainReceiver, error) { return newDrainReceiver(c, set) })
	if err != nil {
		return nil, err
	}
	r.Unwrap().setMetrics(next)
	return r, nil
}
