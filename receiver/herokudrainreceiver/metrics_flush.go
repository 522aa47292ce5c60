package herokudrainreceiver // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver"

import (
	"context"
	"crypto/rand"
	"sync"
	"time"

	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/aggregate"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/metadata"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"
)

// The metric path: every request adds what its lines measured to the
// receiver's aggregator; a flush goroutine emits all live series to the
// metrics pipeline every flush_interval (docs/metrics.md).

const (
	// requestIDWindow is how long a router request id is remembered for
	// heroku.router.requests; the lines of one request arrive within
	// seconds of each other.
	requestIDWindow = 10 * time.Minute
	maxRequestIDs   = 200_000
)

// metricsState is what the metric path keeps across requests.
type metricsState struct {
	agg        *aggregate.Aggregator
	requestIDs *translate.RequestIDs
	urlPaths   *translate.URLPaths
	// disabledHistograms is read by every request, never written.
	disabledHistograms map[string]bool

	stop    chan struct{}
	flushWG sync.WaitGroup
	flushMu sync.Mutex // one Collect-deliver-Done at a time
}

func newMetricsState(cfg *Config, instanceID string) *metricsState {
	temporality := pmetric.AggregationTemporalityCumulative
	if cfg.AggregationTemporality == TemporalityDelta {
		temporality = pmetric.AggregationTemporalityDelta
	}
	if !cfg.ResourceAttributes.ServiceInstanceID.Enabled {
		instanceID = ""
	}
	return &metricsState{
		agg: aggregate.New(aggregate.Settings{
			Temporality: temporality,
			Expiration:  cfg.MetricsExpiration,
			MaxSeries:   cfg.MaxSeries,
			MaxBytes:    cfg.MaxSeriesBytes,
			InstanceID:  instanceID,
			StateGauges: []string{"heroku.dyno.formation"},
		}),
		requestIDs:         translate.NewRequestIDs(requestIDWindow, maxRequestIDs),
		urlPaths:           translate.NewURLPaths(cfg.RouterMetricsMaxURLPaths),
		disabledHistograms: cfg.disabledHistograms(),
	}
}

// instanceID is the collector's own service.instance.id, which the
// collector puts on the resource of the receiver's settings; a random one
// when it is absent (tests, other hosts).
func (r *drainReceiver) instanceID() string {
	if v, ok := r.set.Resource.Attributes().Get(aggregate.InstanceIDKey); ok && v.AsString() != "" {
		return v.AsString()
	}
	return rand.Text()
}

// addMetrics hands a request's metrics to the aggregator. Once added they
// count as delivered: the flush loop sends them, again and again if the
// pipeline refuses.
func (r *drainReceiver) addMetrics(ctx context.Context, batch *translate.Batch) {
	res := r.metrics.agg.Add(batch.Metrics())
	if res.Late > 0 {
		r.telemetry.ReceiverHerokudrainMetricPointsDropped.Add(ctx, int64(res.Late), metric.WithAttributes(attribute.String("reason", "late")))
	}
	if res.Dropped > 0 {
		r.telemetry.ReceiverHerokudrainMetricPointsDropped.Add(ctx, int64(res.Dropped), metric.WithAttributes(attribute.String("reason", "max_series")))
	}
	if n := batch.Counts().URLPathsOverflow; n > 0 {
		r.telemetry.ReceiverHerokudrainURLPathsOverflow.Add(ctx, n)
	}
}

// batchSettings is what every batch the receiver translates is built with,
// for the signals given; builder is required with metrics. Drain requests
// and the lines split_lines gives up outside any request both use it.
func (r *drainReceiver) batchSettings(logs, metrics, traces bool, builder *metadata.MetricsBuilder) translate.Settings {
	return translate.Settings{
		Logs:                 logs,
		Metrics:              metrics,
		Traces:               traces,
		Builder:              builder,
		ResourceAttributes:   r.cfg.MetricsBuilderConfig.ResourceAttributes,
		ScopeVersion:         r.set.BuildInfo.Version,
		RouterMetricsURLPath: r.cfg.RouterMetricsURLPath,
		Dynos:                r.dynos,
		RequestIDs:           r.metrics.requestIDs,
		URLPaths:             r.metrics.urlPaths,
		ExponentialMeasures:  r.cfg.MeasureHistogram == HistogramExponential,
		DisabledHistograms:   r.metrics.disabledHistograms,
	}
}

// startFlushing runs the flush loop until stopFlushing.
func (r *drainReceiver) startFlushing() {
	m := r.metrics
	m.stop = make(chan struct{})
	m.flushWG.Go(func() {
		t := time.NewTicker(r.cfg.FlushInterval)
		defer t.Stop()
		for {
			select {
			case <-m.stop:
				return
			case <-t.C:
				ctx, cancel := context.WithTimeout(context.Background(), r.cfg.FlushInterval)
				r.flush(ctx)
				cancel()
			}
		}
	})
}

// stopFlushing ends the loop and flushes once more, so that what the last
// requests added is not lost (the pipelines still run: the collector stops
// receivers first).
func (r *drainReceiver) stopFlushing(ctx context.Context) {
	m := r.metrics
	if m.stop == nil {
		return
	}
	close(m.stop)
	m.flushWG.Wait()
	m.stop = nil
	r.flush(ctx)
}

// flush emits every live series; a refused flush is sent again next time.
func (r *drainReceiver) flush(ctx context.Context) {
	r.metrics.flushMu.Lock()
	defer r.metrics.flushMu.Unlock()
	f := r.metrics.agg.Collect()
	n := f.Metrics.DataPointCount()
	if n == 0 {
		f.Done(true)
		return
	}
	ctx = r.obs.StartMetricsOp(ctx)
	err := r.nextMetrics.ConsumeMetrics(ctx, f.Metrics)
	r.obs.EndMetricsOp(ctx, dataFormat, n, err)
	f.Done(err == nil)
	if err != nil {
		r.telemetry.ReceiverHerokudrainMetricFlushFailures.Add(ctx, 1)
		r.logger.Warn("The metrics pipeline refused a flush; the series will be sent again at the next one", zap.Error(err), zap.Int("data_points", n))
	}
}
