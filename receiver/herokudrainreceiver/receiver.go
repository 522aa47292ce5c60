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
	nextTraces  consumer.Traces // router spans; nil without a traces pipeline

	obs       *receiverhelper.ObsReport // one for every signal: it records each op by its own signal
	telemetry *metadata.TelemetryBuilder

	auth    *authenticator
	budget  byteBudget // memory held by requests in flight
	seen    *dedupe.Cache
	dynos   *translate.DynoTracker
	metrics *metricsState
	splits  *splitLines
	builder sync.Pool // *metadata.MetricsBuilder, one per in-flight request

	server   *http.Server
	listener net.Listener
	addr     net.Addr     // where the server listens, once started
	conns    atomic.Int64 // open connections, for draining
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
		cfg:       cfg,
		set:       set,
		logger:    set.Logger,
		obs:       obs,
		telemetry: tb,
		auth:      newAuthenticator(cfg.BasicAuth, cfg.DrainTokens),
		// Runtime metrics arrive every ~20 s per dyno: a minute's window
		// sees every live dyno at least twice.
		dynos: translate.NewDynoTracker(time.Minute, 10_000, 10_000),
	}
	r.budget.limit = cfg.MaxInFlightBytes
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
func (r *drainReceiver) setTraces(next consumer.Traces)   { r.nextTraces = next }

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
	r.trackConns(srv)
	ln, err := r.cfg.ServerConfig.ToListener(ctx)
	if err != nil {
		return err
	}
	r.logger.Info("Listening for Logplex drains", zap.String("endpoint", ln.Addr().String()), zap.String("path", r.cfg.Path))
	r.server = srv
	r.listener = ln
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

// drainGrace is how long Shutdown keeps serving the connections already
// open (Logplex keeps them alive) after it stopped accepting new ones, so
// that the next request on each gets a clean 503 + Connection: close
// instead of a connection closed under it.
const drainGrace = time.Second

// Shutdown drains the receiver: it stops accepting connections, answers
// 503 + Connection: close to every request that arrives on an open one
// (Logplex retries it, elsewhere), lets in-flight requests finish (their
// pipelines are still running: the collector stops receivers first), and
// then closes what is left.
func (r *drainReceiver) Shutdown(ctx context.Context) error {
	r.stopping.Store(true)
	var err error
	if r.server != nil {
		// Not SetKeepAlivesEnabled(false): it closes idle connections at
		// once, racing requests already on their way. The handler says
		// Connection: close on every answer instead (handle).
		_ = r.listener.Close()
		r.waitForConns(ctx, drainGrace)
		// Shutdown closes the listener again; that it was closed is no error.
		if err = r.server.Shutdown(ctx); errors.Is(err, net.ErrClosed) {
			err = nil
		}
	}
	r.serveWG.Wait()
	r.stopSplitLines()
	r.stopFlushing(ctx)
	r.telemetry.Shutdown()
	return err
}
