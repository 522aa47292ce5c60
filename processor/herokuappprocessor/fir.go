package herokuappprocessor // import "github.com/herokudrain/herokudrain/processor/herokuappprocessor"

import (
	"context"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// Fir generation (mode: fir).
//
// Fir apps send OpenTelemetry through telemetry drains (heroku
// telemetry:add). Heroku puts its own resource attributes on that telemetry
// (Dev Center: "Heroku OpenTelemetry Signals and Attributes Reference");
// the names below are the ones Heroku's telemetry team listed when aligning
// the OpenTelemetry semantic conventions with that page. Two spellings of the
// process type were published over time; both are read.
//
// The Logplex path (herokudrain receiver + mode: logplex) emits
// service.name = app name and cloud.provider = heroku on the resource, and
// heroku.dyno.name / heroku.dyno.type on each log record and metric data
// point. Fir mode gives Fir telemetry the same keys so one dashboard query
// covers both generations.
const (
	firAppName    = "heroku.app.name"
	firDynoName   = "heroku.dyno.name"
	firDynoType   = "heroku.dyno.type"
	firWorkloadID = "heroku.workload.id" // earlier name of the process type

	cloudProviderKey = string(semconv.CloudProviderKey)
	cloudProvider    = "heroku"
)

// firResource sets service.name and cloud.provider on a resource from Fir
// telemetry and returns the dyno name and type to copy onto its records. It
// reports whether the resource named an app.
func firResource(res pcommon.Resource) (dynoName, dynoType string, named bool) {
	attrs := res.Attributes()
	app := strAttr(attrs, firAppName)
	if app != "" {
		// The SDK's own service.name wins unless it is the SDK default.
		if svc := strAttr(attrs, serviceNameKey); svc == "" || strings.HasPrefix(svc, "unknown_service") {
			attrs.PutStr(serviceNameKey, app)
			named = true
		}
		if _, ok := attrs.Get(cloudProviderKey); !ok {
			attrs.PutStr(cloudProviderKey, cloudProvider)
		}
	}
	dynoName = strAttr(attrs, firDynoName)
	dynoType = strAttr(attrs, firDynoType)
	if dynoType == "" {
		dynoType = strAttr(attrs, firWorkloadID)
	}
	if dynoType == "" && dynoName != "" {
		// Formation names are <type>.<number> (web.1, worker.2).
		if i := strings.LastIndexByte(dynoName, '.'); i > 0 {
			dynoType = dynoName[:i]
		}
	}
	if dynoType != "" {
		if _, ok := attrs.Get(firDynoType); !ok {
			attrs.PutStr(firDynoType, dynoType)
		}
	}
	return dynoName, dynoType, named
}

func strAttr(m pcommon.Map, key string) string {
	if v, ok := m.Get(key); ok && v.Type() == pcommon.ValueTypeStr {
		return v.Str()
	}
	return ""
}

// putDyno copies the dyno onto record-level attributes without overriding
// what the record already says.
func putDyno(m pcommon.Map, name, typ string) {
	if name != "" {
		if _, ok := m.Get(firDynoName); !ok {
			m.PutStr(firDynoName, name)
		}
	}
	if typ != "" {
		if _, ok := m.Get(firDynoType); !ok {
			m.PutStr(firDynoType, typ)
		}
	}
}

func (p *appProcessor) firLogs(ctx context.Context, ld plog.Logs) (plog.Logs, error) {
	var renamed int64
	rls := ld.ResourceLogs()
	for i := 0; i < rls.Len(); i++ {
		rl := rls.At(i)
		name, typ, named := firResource(rl.Resource())
		if named {
			renamed++
		}
		if name == "" && typ == "" {
			continue
		}
		sls := rl.ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			lrs := sls.At(j).LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				putDyno(lrs.At(k).Attributes(), name, typ)
			}
		}
	}
	p.reportFir(ctx, renamed)
	return ld, nil
}

func (p *appProcessor) firMetrics(ctx context.Context, md pmetric.Metrics) (pmetric.Metrics, error) {
	var renamed int64
	rms := md.ResourceMetrics()
	for i := 0; i < rms.Len(); i++ {
		rm := rms.At(i)
		name, typ, named := firResource(rm.Resource())
		if named {
			renamed++
		}
		if name == "" && typ == "" {
			continue
		}
		sms := rm.ScopeMetrics()
		for j := 0; j < sms.Len(); j++ {
			ms := sms.At(j).Metrics()
			for k := 0; k < ms.Len(); k++ {
				forEachPointAttributes(ms.At(k), func(m pcommon.Map) { putDyno(m, name, typ) })
			}
		}
	}
	p.reportFir(ctx, renamed)
	return md, nil
}

func (p *appProcessor) firTraces(ctx context.Context, td ptrace.Traces) (ptrace.Traces, error) {
	var renamed int64
	rss := td.ResourceSpans()
	for i := 0; i < rss.Len(); i++ {
		rs := rss.At(i)
		name, typ, named := firResource(rs.Resource())
		if named {
			renamed++
		}
		if name == "" && typ == "" {
			continue
		}
		sss := rs.ScopeSpans()
		for j := 0; j < sss.Len(); j++ {
			spans := sss.At(j).Spans()
			for k := 0; k < spans.Len(); k++ {
				putDyno(spans.At(k).Attributes(), name, typ)
			}
		}
	}
	p.reportFir(ctx, renamed)
	return td, nil
}

func (p *appProcessor) reportFir(ctx context.Context, renamed int64) {
	if renamed > 0 {
		p.telemetry.ProcessorHerokuappResourcesRenamed.Add(ctx, renamed)
	}
}

// forEachPointAttributes calls fn with the attributes of every data point.
func forEachPointAttributes(m pmetric.Metric, fn func(pcommon.Map)) {
	switch m.Type() {
	case pmetric.MetricTypeGauge:
		dps := m.Gauge().DataPoints()
		for i := 0; i < dps.Len(); i++ {
			fn(dps.At(i).Attributes())
		}
	case pmetric.MetricTypeSum:
		dps := m.Sum().DataPoints()
		for i := 0; i < dps.Len(); i++ {
			fn(dps.At(i).Attributes())
		}
	case pmetric.MetricTypeHistogram:
		dps := m.Histogram().DataPoints()
		for i := 0; i < dps.Len(); i++ {
			fn(dps.At(i).Attributes())
		}
	case pmetric.MetricTypeExponentialHistogram:
		dps := m.ExponentialHistogram().DataPoints()
		for i := 0; i < dps.Len(); i++ {
			fn(dps.At(i).Attributes())
		}
	case pmetric.MetricTypeSummary:
		dps := m.Summary().DataPoints()
		for i := 0; i < dps.Len(); i++ {
			fn(dps.At(i).Attributes())
		}
	}
}
