package herokuappprocessor // import "github.com/herokudrain/herokudrain/processor/herokuappprocessor"

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor/processorhelper"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.uber.org/zap"

	"github.com/herokudrain/herokudrain/processor/herokuappprocessor/internal/metadata"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/draintoken"
)

var (
	serviceNameKey = string(semconv.ServiceNameKey)
	appIDKey       = string(semconv.HerokuAppIDKey)
)

// unresolvedAttribute flags a kept resource whose app could not be named;
// its value is the reason.
const unresolvedAttribute = "herokuapp.unresolved"

// Reasons a resource stays unnamed (the reason attribute of the counters).
const (
	reasonMissingToken = "missing_token" // no string heroku.drain.token
	reasonUnknownToken = "unknown_token" // a token no source knows
)

type appProcessor struct {
	cfg       *Config
	apps      *resolver // nil in mode fir
	drop      bool
	logger    *zap.Logger
	telemetry *metadata.TelemetryBuilder
}

func newAppProcessor(cfg *Config, set component.TelemetrySettings, tb *metadata.TelemetryBuilder) *appProcessor {
	p := &appProcessor{
		cfg:       cfg,
		drop:      cfg.Unknown == UnknownDrop,
		logger:    set.Logger,
		telemetry: tb,
	}
	if cfg.Mode != ModeFir {
		p.apps = acquireResolver(cfg, set, tb)
	}
	return p
}

// batchStats counts what happened to one batch.
type batchStats struct {
	renamed    int64 // resources whose service.name was set
	unresolved [2]reasonStats
}

// reasonStats counts unnamed resources for one reason.
type reasonStats struct {
	seen             int64
	droppedResources int64
	droppedItems     int64 // log records or metric data points
}

var reasons = [2]string{reasonMissingToken, reasonUnknownToken}

// apply names res if its drain token resolves. It returns the index of the
// reason (into reasons) when it does not, or -1.
func (p *appProcessor) apply(res pcommon.Resource, st *batchStats) int {
	v, ok := res.Attributes().Get(draintoken.AttributeKey)
	if !ok || v.Type() != pcommon.ValueTypeStr || v.Str() == "" {
		return p.unresolved(res, st, 0)
	}
	app, ok := p.apps.lookup(v.Str())
	if !ok {
		return p.unresolved(res, st, 1)
	}
	// The configured mapping wins over any service.name already present
	// (e.g. one the receiver derived from the drain URL's ?app=).
	res.Attributes().PutStr(serviceNameKey, app.Name)
	if app.ID != "" {
		res.Attributes().PutStr(appIDKey, app.ID)
	}
	res.Attributes().Remove(unresolvedAttribute)
	st.renamed++
	return -1
}

func (p *appProcessor) unresolved(res pcommon.Resource, st *batchStats, reason int) int {
	st.unresolved[reason].seen++
	if !p.drop {
		res.Attributes().PutStr(unresolvedAttribute, reasons[reason])
	}
	return reason
}

// keep applies the mapping and, under unknown=drop, counts what is dropped.
func (p *appProcessor) keep(res pcommon.Resource, items func() int, st *batchStats) bool {
	reason := p.apply(res, st)
	if reason < 0 || !p.drop {
		return true
	}
	st.unresolved[reason].droppedResources++
	st.unresolved[reason].droppedItems += int64(items())
	return false
}

func (p *appProcessor) processLogs(ctx context.Context, ld plog.Logs) (plog.Logs, error) {
	var st batchStats
	rls := ld.ResourceLogs()
	rls.RemoveIf(func(rl plog.ResourceLogs) bool {
		return !p.keep(rl.Resource(), func() int { return logRecordCount(rl) }, &st)
	})
	p.report(ctx, "logs", &st)
	if st.dropped() && rls.Len() == 0 {
		return ld, processorhelper.ErrSkipProcessingData
	}
	return ld, nil
}

func (p *appProcessor) processMetrics(ctx context.Context, md pmetric.Metrics) (pmetric.Metrics, error) {
	var st batchStats
	rms := md.ResourceMetrics()
	rms.RemoveIf(func(rm pmetric.ResourceMetrics) bool {
		return !p.keep(rm.Resource(), func() int { return dataPointCount(rm) }, &st)
	})
	p.report(ctx, "metrics", &st)
	if st.dropped() && rms.Len() == 0 {
		return md, processorhelper.ErrSkipProcessingData
	}
	return md, nil
}

func (p *appProcessor) processTraces(ctx context.Context, td ptrace.Traces) (ptrace.Traces, error) {
	var st batchStats
	rss := td.ResourceSpans()
	rss.RemoveIf(func(rs ptrace.ResourceSpans) bool {
		return !p.keep(rs.Resource(), func() int { return spanCount(rs) }, &st)
	})
	p.report(ctx, "traces", &st)
	if st.dropped() && rss.Len() == 0 {
		return td, processorhelper.ErrSkipProcessingData
	}
	return td, nil
}

func (st *batchStats) dropped() bool {
	return st.unresolved[0].droppedResources+st.unresolved[1].droppedResources > 0
}

func (p *appProcessor) report(ctx context.Context, signal string, st *batchStats) {
	if st.renamed > 0 {
		p.telemetry.ProcessorHerokuappResourcesRenamed.Add(ctx, st.renamed)
	}
	for i, r := range st.unresolved {
		if r.seen == 0 {
			continue
		}
		reason := metric.WithAttributes(attribute.String("reason", reasons[i]))
		p.telemetry.ProcessorHerokuappResourcesUnresolved.Add(ctx, r.seen, reason)
		if r.droppedResources > 0 {
			p.telemetry.ProcessorHerokuappResourcesDropped.Add(ctx, r.droppedResources, reason)
			p.telemetry.ProcessorHerokuappItemsDropped.Add(ctx, r.droppedItems, reason)
		}
	}
	if (st.unresolved[0].seen > 0 || st.unresolved[1].seen > 0) && p.logger.Core().Enabled(zap.DebugLevel) {
		p.logger.Debug("resources with a missing or unknown drain token",
			zap.String("signal", signal),
			zap.String("attribute", draintoken.AttributeKey),
			zap.Int64("missing", st.unresolved[0].seen),
			zap.Int64("unknown", st.unresolved[1].seen),
			zap.Bool("dropped", p.drop),
			zap.Int64("renamed", st.renamed),
		)
	}
}

func (p *appProcessor) start(ctx context.Context, _ component.Host) error {
	if p.apps == nil {
		return nil
	}
	return p.apps.start(ctx)
}

func (p *appProcessor) shutdown(context.Context) error {
	if p.apps != nil {
		releaseResolver(p.cfg)
	}
	p.telemetry.Shutdown()
	return nil
}

func logRecordCount(rl plog.ResourceLogs) int {
	n := 0
	sls := rl.ScopeLogs()
	for i := 0; i < sls.Len(); i++ {
		n += sls.At(i).LogRecords().Len()
	}
	return n
}

func spanCount(rs ptrace.ResourceSpans) int {
	n := 0
	sss := rs.ScopeSpans()
	for i := 0; i < sss.Len(); i++ {
		n += sss.At(i).Spans().Len()
	}
	return n
}

func dataPointCount(rm pmetric.ResourceMetrics) int {
	n := 0
	sms := rm.ScopeMetrics()
	for i := 0; i < sms.Len(); i++ {
		ms := sms.At(i).Metrics()
		for j := 0; j < ms.Len(); j++ {
			m := ms.At(j)
			switch m.Type() {
			case pmetric.MetricTypeGauge:
				n += m.Gauge().DataPoints().Len()
			case pmetric.MetricTypeSum:
				n += m.Sum().DataPoints().Len()
			case pmetric.MetricTypeHistogram:
				n += m.Histogram().DataPoints().Len()
			case pmetric.MetricTypeExponentialHistogram:
				n += m.ExponentialHistogram().DataPoints().Len()
			case pmetric.MetricTypeSummary:
				n += m.Summary().DataPoints().Len()
			}
		}
	}
	return n
}
