package herokudrainreceiver // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver"

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/receiverhelper"
	"go.uber.org/zap"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/dedupe"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/metadata"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"
)

// drainReceiver is one HTTP server shared by the logs and metrics pipelines
// built from the same config.
type drainReceiver struct {
	cfg    *Config
	set    receiver.Settings
	logger *zap.Logger

	nextLogs    consumer.Logs
	nextMetrics consumer.Metrics

	obsLogs    *receiverhelper.ObsReport
	obsMetrics *receiverhelper.ObsReport
	telemetry  *metadata.TelemetryBuilder

	auth    *authenticator
	seen    *dedupe.Cache
	dynos   *translate.DynoTracker
	metrics *metricsState
	splits  *splitLines
	builder sync.Pool // *metadata.MetricsBuilder, one per in-flight request

	server   *http.Server
	addr     net.Addr // where the server listens, once started
	serveWG  sync.WaitGroup
	stopping atomic.Bool
}

func newDrainReceiver(cfg *Config, set receiver.Settings) (*drainReceiver, error) {
	obs, err := receiverhelper.NewObsReport(receiverhelper.ObsReportSettings{
		ReceiverID:             set.ID,
		Transport:              "http",
		ReceiverCreateSettings: set,
	})
	if err != nil {
		return nil, err
	}
	tb, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	r := &drainReceiver{
		cfg:        cfg,
		set:        set,
		logger:     set.Logger,
		obsLogs:    obs,
		obsMetrics: obs,
		telemetry:  tb,
		auth:       newAuthenticator(cfg.BasicAuth, cfg.DrainTokens),
		// Runtime metrics arrive every ~20 s per dyno: a minute's window
		// sees every live dyno at least twice.
		dynos: translate.NewDynoTracker(time.Minute, 10_000, 10_000),
	}
	r.splits = newSplitLines(cfg.SplitLines, tb)
	if cfg.Dedupe.Enabled {
		r.seen = dedupe.New(cfg.Dedupe.MaxEntries, cfg.Dedupe.TTL, nil)
	}
	r.metrics = newMetricsState(cfg, r.instanceID())
	r.builder.New = func() any { return metadata.NewMetricsBuilder(cfg.MetricsBuilderConfig, set) }
	return r, nil
}

func (r *drainReceiver) setLogs(next consumer.Logs)       { r.nextLogs = next }
func (r *drainReceiver) setMetrics(next consumer.Metrics) { r.nextMetrics = next }

// Start listens on the configured endpoint and serves drain requests.
func (r *drainReceiver) Start(ctx context.Context, host component.Host) error {
	mux := http.NewServeMux()
	// A method in the pattern makes ServeMux answer 405 to anything else.
	mux.Handle("POST "+r.cfg.Path, http.HandlerFunc(r.handle))

	srv, err := r.cfg.ServerConfig.ToServer(ctx, host.GetExtensions(), r.set.TelemetrySettings, mux,
		confighttp.WithErrorHandler(r.serverError))
	if err != nil {
		return err
	}
	ln, err := r.cfg.ServerConfig.ToListener(ctx)
	if err != nil {
		return err
	}
	r.logger.Info("Listening for Logplex drains", zap.String("endpoint", ln.Addr().String()), zap.String("path", r.cfg.Path))
	r.server = srv
	r.addr = ln.Addr()
	r.startSplitLines()
	if r.nextMetrics != nil {
		r.startFlushing()
	}
	r.serveWG.Go(func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
			componentstatus.ReportStatus(host, componentstatus.NewFatalErrorEvent(err))
		}
	})
	return nil
}

// Shutdown stops accepting requests, lets in-flight ones finish (their
// pipelines are still running: the collector stops receivers first) and
// waits for the server goroutine.
func (r *drainReceiver) Shutdown(ctx context.Context) error {
	r.stopping.Store(true)
	var err error
	if r.server != nil {
		err = r.server.Shutdown(ctx)
	}
	r.serveWG.Wait()
	r.stopSplitLines()
	r.stopFlushing(ctx)
	r.telemetry.Shutdown()
	return err
}
