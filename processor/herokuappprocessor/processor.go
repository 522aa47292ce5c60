package herokuappprocessor // import "github.com/herokudrain/herokudrain/processor/herokuappprocessor"

import (
	"context"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/processor/processorhelper"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.uber.org/zap"

	"github.com/herokudrain/herokudrain/processor/herokuappprocessor/internal/metadata"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/draintoken"
)

var serviceNameKey = string(semconv.ServiceNameKey)

type appProcessor struct {
	apps      map[string]string // lower-cased drain token -> app name
	drop      bool
	logger    *zap.Logger
	telemetry *metadata.TelemetryBuilder
}

func newAppProcessor(cfg *Config, logger *zap.Logger, tb *metadata.TelemetryBuilder) *appProcessor {
	return &appProcessor{
		apps:      cfg.normalizedApps(),
		drop:      cfg.Unknown == UnknownDrop,
		logger:    logger,
		telemetry: tb,
	}
}

// batchStats counts what happened to one batch.
type batchStats struct {
	renamed          int64 // resources whose service.name was set
	missing          int64 // resources without a (string) drain token
	unknown          int64 // resources with a token not in apps
	droppedResources int64
	droppedItems     int64 // log records or metric data points
}

// apply sets service.name on res if its drain token is mapped. It reports
// whether the resource should be kept.
func (p *appProcessor) apply(res pcommon.Resource, st *batchStats) bool {
	v, ok := res.Attributes().Get(draintoken.AttributeKey)
	if !ok || v.Type() != pcommon.ValueTypeStr || v.Str() == "" {
		st.missing++
		return !p.drop
	}
	app, ok := p.apps[draintoken.Normalize(v.Str())]
	if !ok {
		st.unknown++
		return !p.drop
	}
	// The configured mapping wins over any service.name already present
	// (e.g. one the receiver derived from the drain URL's ?app=).
	res.Attributes().PutStr(serviceNameKey, app)
	st.renamed++
	return true
}

func (p *appProcessor) processLogs(ctx context.Context, ld plog.Logs) (plog.Logs, error) {
	var st batchStats
	rls := ld.ResourceLogs()
	rls.RemoveIf(func(rl plog.ResourceLogs) bool {
		if p.apply(rl.Resource(), &st) {
			return false
		}
		st.droppedResources++
		st.droppedItems += int64(logRecordCount(rl))
		return true
	})
	p.report(ctx, "logs", &st)
	if st.droppedResources > 0 && rls.Len() == 0 {
		return ld, processorhelper.ErrSkipProcessingData
	}
	return ld, nil
}

func (p *appProcessor) processMetrics(ctx context.Context, md pmetric.Metrics) (pmetric.Metrics, error) {
	var st batchStats
	rms := md.ResourceMetrics()
	rms.RemoveIf(func(rm pmetric.ResourceMetrics) bool {
		if p.apply(rm.Resource(), &st) {
			return false
		}
		st.droppedResources++
		st.droppedItems += int64(dataPointCount(rm))
		return true
	})
	p.report(ctx, "metrics", &st)
	if st.droppedResources > 0 && rms.Len() == 0 {
		return md, processorhelper.ErrSkipProcessingData
	}
	return md, nil
}

func (p *appProcessor) report(ctx context.Context, signal string, st *batchStats) {
	if st.renamed > 0 {
		p.telemetry.ProcessorHerokuappResourcesRenamed.Add(ctx, st.renamed)
	}
	if st.droppedResources > 0 {
		p.telemetry.ProcessorHerokuappResourcesDropped.Add(ctx, st.droppedResources)
		p.telemetry.ProcessorHerokuappItemsDropped.Add(ctx, st.droppedItems)
	}
	if (st.missing > 0 || st.unknown > 0) && p.logger.Core().Enabled(zap.DebugLevel) {
		p.logger.Debug("resources with a missing or unknown drain token",
			zap.String("signal", signal),
			zap.String("attribute", draintoken.AttributeKey),
			zap.Int64("missing", st.missing),
			zap.Int64("unknown", st.unknown),
			zap.Bool("dropped", p.drop),
			zap.Int64("dropped_items", st.droppedItems),
			zap.Int64("renamed", st.renamed),
		)
	}
}

func (p *appProcessor) shutdown(context.Context) error {
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
