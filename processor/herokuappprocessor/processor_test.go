package herokuappprocessor

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/processor/processortest"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/metric/metricdata/metricdatatest"

	"github.com/herokudrain/herokudrain/processor/herokuappprocessor/internal/metadata"
	"github.com/herokudrain/herokudrain/processor/herokuappprocessor/internal/metadatatest"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/draintoken"
)

const (
	tokWeb     = "d.fc6b856b-3332-4546-93de-7d0ee272c3bd"
	tokWorker  = "d.0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
	tokUnknown = "d.11111111-2222-3333-4444-555555555555"
	noToken    = "<none>"
)

// res describes one input resource.
type res struct {
	token   string // noToken: attribute absent
	service string // pre-existing service.name ("" = absent)
	items   int    // log records / data points
}

// want describes one output resource.
type want struct {
	token   string // noToken: attribute absent
	service string // "" = absent
	items   int
	flag    string // expected herokuapp.unresolved ("" = absent)
}

// counts are the expected telemetry of one batch; missing and unknown are
// the counters with reason=missing_token and reason=unknown_token.
type counts struct {
	renamed          int64
	missing, unknown reasonCount
}

type reasonCount struct{ unresolved, droppedResources, droppedItems int64 }

var testCases = []struct {
	name    string
	unknown UnknownAction
	in      []res
	out     []want // nil together with skip=true: batch dropped
	skip    bool
	counts  counts
}{
	{
		name:    "renamed",
		unknown: UnknownKeep,
		in:      []res{{token: tokWeb, items: 2}},
		out:     []want{{token: tokWeb, service: "acme-web", items: 2}},
		counts:  counts{renamed: 1},
	},
	{
		name:    "mapping overrides service.name from the drain URL",
		unknown: UnknownKeep,
		in:      []res{{token: tokWorker, service: "from-url", items: 1}},
		out:     []want{{token: tokWorker, service: "acme-worker", items: 1}},
		counts:  counts{renamed: 1},
	},
	{
		name:    "token matched case-insensitively",
		unknown: UnknownKeep,
		in:      []res{{token: "d.FC6B856B-3332-4546-93DE-7D0EE272C3BD", items: 1}},
		out:     []want{{token: "d.FC6B856B-3332-4546-93DE-7D0EE272C3BD", service: "acme-web", items: 1}},
		counts:  counts{renamed: 1},
	},
	{
		name:    "unknown kept unchanged",
		unknown: UnknownKeep,
		in:      []res{{token: tokUnknown, service: "from-url", items: 3}},
		out:     []want{{token: tokUnknown, service: "from-url", items: 3, flag: reasonUnknownToken}},
		counts:  counts{unknown: reasonCount{unresolved: 1}},
	},
	{
		name:    "missing token kept",
		unknown: UnknownKeep,
		in:      []res{{token: noToken, items: 1}},
		out:     []want{{token: noToken, items: 1, flag: reasonMissingToken}},
		counts:  counts{missing: reasonCount{unresolved: 1}},
	},
	{
		name:    "unknown dropped",
		unknown: UnknownDrop,
		in:      []res{{token: tokWeb, items: 1}, {token: tokUnknown, items: 4}},
		out:     []want{{token: tokWeb, service: "acme-web", items: 1}},
		counts:  counts{renamed: 1, unknown: reasonCount{1, 1, 4}},
	},
	{
		name:    "missing token dropped",
		unknown: UnknownDrop,
		in:      []res{{token: noToken, items: 2}, {token: tokWorker, items: 1}},
		out:     []want{{token: tokWorker, service: "acme-worker", items: 1}},
		counts:  counts{renamed: 1, missing: reasonCount{1, 1, 2}},
	},
	{
		name:    "mixed batch keep",
		unknown: UnknownKeep,
		in: []res{
			{token: tokWeb, items: 1},
			{token: tokUnknown, items: 1},
			{token: noToken, service: "x", items: 1},
			{token: tokWorker, service: "y", items: 2},
		},
		out: []want{
			{token: tokWeb, service: "acme-web", items: 1},
			{token: tokUnknown, items: 1, flag: reasonUnknownToken},
			{token: noToken, service: "x", items: 1, flag: reasonMissingToken},
			{token: tokWorker, service: "acme-worker", items: 2},
		},
		counts: counts{renamed: 2, missing: reasonCount{unresolved: 1}, unknown: reasonCount{unresolved: 1}},
	},
	{
		name:    "mixed batch drop keeps order",
		unknown: UnknownDrop,
		in: []res{
			{token: tokUnknown, items: 1},
			{token: tokWeb, items: 1},
			{token: noToken, items: 5},
			{token: tokWorker, items: 2},
			{token: tokUnknown, items: 3},
		},
		out: []want{
			{token: tokWeb, service: "acme-web", items: 1},
			{token: tokWorker, service: "acme-worker", items: 2},
		},
		counts: counts{renamed: 2, missing: reasonCount{1, 1, 5}, unknown: reasonCount{2, 2, 4}},
	},
	{
		name:    "empty batch after drop is skipped",
		unknown: UnknownDrop,
		in:      []res{{token: tokUnknown, items: 1}, {token: noToken, items: 2}},
		skip:    true,
		counts:  counts{missing: reasonCount{1, 1, 2}, unknown: reasonCount{1, 1, 1}},
	},
	{
		name:    "empty input passes through",
		unknown: UnknownDrop,
		in:      nil,
		out:     []want{},
	},
}

func newTestConfig(unknown UnknownAction) *Config {
	return &Config{
		Apps:    map[string]string{tokWeb: "acme-web", tokWorker: "acme-worker"},
		Unknown: unknown,
	}
}

func setResource(r pcommon.Resource, in res) {
	r.Attributes().PutStr("cloud.provider", "heroku")
	if in.token != noToken {
		r.Attributes().PutStr(draintoken.AttributeKey, in.token)
	}
	if in.service != "" {
		r.Attributes().PutStr(serviceNameKey, in.service)
	}
}

func checkResource(t *testing.T, r pcommon.Resource, w want) {
	t.Helper()
	tok, ok := r.Attributes().Get(draintoken.AttributeKey)
	if w.token == noToken {
		assert.False(t, ok, "token attribute should be absent")
	} else if assert.True(t, ok, "token attribute should stay") {
		assert.Equal(t, w.token, tok.Str())
	}
	svc, ok := r.Attributes().Get(serviceNameKey)
	if w.service == "" {
		assert.False(t, ok, "service.name should be absent")
	} else if assert.True(t, ok, "service.name should be set") {
		assert.Equal(t, w.service, svc.Str())
	}
	flag, ok := r.Attributes().Get(unresolvedAttribute)
	if w.flag == "" {
		assert.False(t, ok, "%s should be absent", unresolvedAttribute)
	} else {
		assert.Equal(t, w.flag, flag.Str())
	}
	cp, _ := r.Attributes().Get("cloud.provider")
	assert.Equal(t, "heroku", cp.Str())
}

func makeLogs(in []res) plog.Logs {
	ld := plog.NewLogs()
	for _, r := range in {
		rl := ld.ResourceLogs().AppendEmpty()
		setResource(rl.Resource(), r)
		lrs := rl.ScopeLogs().AppendEmpty().LogRecords()
		for i := 0; i < r.items; i++ {
			lrs.AppendEmpty().Body().SetStr("heroku[router]: at=info")
		}
	}
	return ld
}

func makeMetrics(in []res) pmetric.Metrics {
	md := pmetric.NewMetrics()
	for _, r := range in {
		rm := md.ResourceMetrics().AppendEmpty()
		setResource(rm.Resource(), r)
		ms := rm.ScopeMetrics().AppendEmpty().Metrics()
		// Split data points over a gauge and a sum to exercise counting.
		g := ms.AppendEmpty()
		g.SetName("heroku.dyno.memory.rss")
		s := ms.AppendEmpty()
		s.SetName("heroku.router.requests")
		s.SetEmptySum()
		gdps := g.SetEmptyGauge().DataPoints()
		for i := 0; i < r.items; i++ {
			if i%2 == 0 {
				gdps.AppendEmpty().SetIntValue(int64(i))
			} else {
				s.Sum().DataPoints().AppendEmpty().SetIntValue(int64(i))
			}
		}
	}
	return md
}

func assertCounts(t *testing.T, tt *componenttest.Telemetry, c counts) {
	t.Helper()
	opts := []metricdatatest.Option{metricdatatest.IgnoreTimestamp()}
	if c.renamed == 0 {
		_, err := tt.GetMetric("otelcol_processor_herokuapp_resources_renamed")
		assert.Error(t, err, "resources_renamed should not be recorded")
	} else {
		metadatatest.AssertEqualProcessorHerokuappResourcesRenamed(t, tt, []metricdata.DataPoint[int64]{{Value: c.renamed}}, opts...)
	}
	type assertFn func(*testing.T, *componenttest.Telemetry, []metricdata.DataPoint[int64], ...metricdatatest.Option)
	byReason := func(name string, fn assertFn, pick func(reasonCount) int64) {
		var dps []metricdata.DataPoint[int64]
		for _, r := range []struct {
			reason string
			n      int64
		}{{reasonMissingToken, pick(c.missing)}, {reasonUnknownToken, pick(c.unknown)}} {
			if r.n > 0 {
				dps = append(dps, metricdata.DataPoint[int64]{Value: r.n, Attributes: attribute.NewSet(attribute.String("reason", r.reason))})
			}
		}
		if len(dps) == 0 {
			_, err := tt.GetMetric(name)
			assert.Error(t, err, "%s should not be recorded", name)
			return
		}
		fn(t, tt, dps, opts...)
	}
	byReason("otelcol_processor_herokuapp_resources_unresolved", metadatatest.AssertEqualProcessorHerokuappResourcesUnresolved, func(r reasonCount) int64 { return r.unresolved })
	byReason("otelcol_processor_herokuapp_resources_dropped", metadatatest.AssertEqualProcessorHerokuappResourcesDropped, func(r reasonCount) int64 { return r.droppedResources })
	byReason("otelcol_processor_herokuapp_items_dropped", metadatatest.AssertEqualProcessorHerokuappItemsDropped, func(r reasonCount) int64 { return r.droppedItems })
}

func TestProcessLogs(t *testing.T) {
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			tt := componenttest.NewTelemetry()
			t.Cleanup(func() { require.NoError(t, tt.Shutdown(context.Background())) })
			sink := new(consumertest.LogsSink)
			p, err := NewFactory().CreateLogs(context.Background(), metadatatest.NewSettings(tt), newTestConfig(tc.unknown), sink)
			require.NoError(t, err)
			assert.True(t, p.Capabilities().MutatesData)
			require.NoError(t, p.Start(context.Background(), componenttest.NewNopHost()))
			t.Cleanup(func() { require.NoError(t, p.Shutdown(context.Background())) })

			require.NoError(t, p.ConsumeLogs(context.Background(), makeLogs(tc.in)))

			if tc.skip {
				assert.Empty(t, sink.AllLogs(), "an emptied batch must not reach the next consumer")
			} else {
				require.Len(t, sink.AllLogs(), 1)
				rls := sink.AllLogs()[0].ResourceLogs()
				require.Equal(t, len(tc.out), rls.Len())
				for i, w := range tc.out {
					checkResource(t, rls.At(i).Resource(), w)
					assert.Equal(t, w.items, logRecordCount(rls.At(i)))
				}
			}
			assertCounts(t, tt, tc.counts)
		})
	}
}

func TestProcessMetrics(t *testing.T) {
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			tt := componenttest.NewTelemetry()
			t.Cleanup(func() { require.NoError(t, tt.Shutdown(context.Background())) })
			sink := new(consumertest.MetricsSink)
			p, err := NewFactory().CreateMetrics(context.Background(), metadatatest.NewSettings(tt), newTestConfig(tc.unknown), sink)
			require.NoError(t, err)
			assert.True(t, p.Capabilities().MutatesData)
			require.NoError(t, p.Start(context.Background(), componenttest.NewNopHost()))
			t.Cleanup(func() { require.NoError(t, p.Shutdown(context.Background())) })

			require.NoError(t, p.ConsumeMetrics(context.Background(), makeMetrics(tc.in)))

			if tc.skip {
				assert.Empty(t, sink.AllMetrics(), "an emptied batch must not reach the next consumer")
			} else {
				require.Len(t, sink.AllMetrics(), 1)
				rms := sink.AllMetrics()[0].ResourceMetrics()
				require.Equal(t, len(tc.out), rms.Len())
				for i, w := range tc.out {
					checkResource(t, rms.At(i).Resource(), w)
					assert.Equal(t, w.items, dataPointCount(rms.At(i)))
				}
			}
			assertCounts(t, tt, tc.counts)
		})
	}
}

// A non-string token is treated as missing.
func TestNonStringToken(t *testing.T) {
	sink := new(consumertest.LogsSink)
	p, err := NewFactory().CreateLogs(context.Background(), processortest.NewNopSettings(metadata.Type), newTestConfig(UnknownDrop), sink)
	require.NoError(t, err)
	ld := plog.NewLogs()
	ld.ResourceLogs().AppendEmpty().Resource().Attributes().PutInt(draintoken.AttributeKey, 42)
	require.NoError(t, p.ConsumeLogs(context.Background(), ld))
	assert.Empty(t, sink.AllLogs())
}

func TestDataPointCountAllTypes(t *testing.T) {
	rm := pmetric.NewResourceMetrics()
	ms := rm.ScopeMetrics().AppendEmpty().Metrics()
	ms.AppendEmpty().SetEmptyGauge().DataPoints().AppendEmpty()
	ms.AppendEmpty().SetEmptySum().DataPoints().AppendEmpty()
	ms.AppendEmpty().SetEmptyHistogram().DataPoints().AppendEmpty()
	ms.AppendEmpty().SetEmptyExponentialHistogram().DataPoints().AppendEmpty()
	ms.AppendEmpty().SetEmptySummary().DataPoints().AppendEmpty()
	ms.AppendEmpty() // empty metric type: counts nothing
	assert.Equal(t, 5, dataPointCount(rm))
}
