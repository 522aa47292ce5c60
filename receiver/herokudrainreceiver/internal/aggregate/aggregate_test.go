package aggregate

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
)

// clock is a settable time source.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }
func (c *clock) ts() pcommon.Timestamp   { return pcommon.NewTimestampFromTime(c.t) }
func newClock() *clock                   { return &clock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)} }
func lineTS(sec int) pcommon.Timestamp {
	return pcommon.NewTimestampFromTime(time.Unix(1_700_000_000+int64(sec), 0))
}
func newAgg(c *clock, mod func(*Settings)) *Aggregator {
	set := Settings{Temporality: pmetric.AggregationTemporalityCumulative, Expiration: time.Hour, MaxSeries: 100,
		InstanceID: "replica-a", StateGauges: []string{"formation"}, Now: c.now}
	if mod != nil {
		mod(&set)
	}
	return New(set)
}

// request builds one request's metrics for app, as translate does.
type request struct {
	md pmetric.Metrics
	ms pmetric.MetricSlice
}

func newRequest(app string) *request {
	md := pmetric.NewMetrics()
	rm := md.ResourceMetrics().AppendEmpty()
	rm.Resource().Attributes().PutStr("service.name", app)
	sm := rm.ScopeMetrics().AppendEmpty()
	sm.Scope().SetName("scope")
	return &request{md: md, ms: sm.Metrics()}
}

func (r *request) count(name, status string, v int64) *request {
	m := r.ms.AppendEmpty()
	m.SetName(name)
	s := m.SetEmptySum()
	s.SetIsMonotonic(true)
	s.SetAggregationTemporality(pmetric.AggregationTemporalityDelta)
	dp := s.DataPoints().AppendEmpty()
	dp.SetIntValue(v)
	if status != "" {
		dp.Attributes().PutStr("status", status)
	}
	return r
}

func (r *request) countDouble(name string, v float64) *request {
	m := r.ms.AppendEmpty()
	m.SetName(name)
	s := m.SetEmptySum()
	s.SetIsMonotonic(true)
	s.SetAggregationTemporality(pmetric.AggregationTemporalityDelta)
	s.DataPoints().AppendEmpty().SetDoubleValue(v)
	return r
}

func (r *request) gauge(name, dyno string, ts pcommon.Timestamp, v int64) *request {
	m := r.ms.AppendEmpty()
	m.SetName(name)
	dp := m.SetEmptyGauge().DataPoints().AppendEmpty()
	dp.SetTimestamp(ts)
	dp.SetIntValue(v)
	dp.Attributes().PutStr("dyno", dyno)
	return r
}

func (r *request) total(name string, ts pcommon.Timestamp, v float64) *request {
	m := r.ms.AppendEmpty()
	m.SetName(name)
	s := m.SetEmptySum()
	s.SetIsMonotonic(true)
	s.SetAggregationTemporality(pmetric.AggregationTemporalityCumulative)
	dp := s.DataPoints().AppendEmpty()
	dp.SetTimestamp(ts)
	dp.SetDoubleValue(v)
	return r
}

func (r *request) histogram(name string, values ...float64) *request {
	bounds := []float64{1, 10}
	m := r.ms.AppendEmpty()
	m.SetName(name)
	h := m.SetEmptyHistogram()
	h.SetAggregationTemporality(pmetric.AggregationTemporalityDelta)
	dp := h.DataPoints().AppendEmpty()
	dp.ExplicitBounds().FromRaw(bounds)
	counts := make([]uint64, 3)
	for _, v := range values {
		switch {
		case v <= 1:
			counts[0]++
		case v <= 10:
			counts[1]++
		default:
			counts[2]++
		}
		dp.SetSum(dp.Sum() + v)
	}
	dp.SetCount(uint64(len(values)))
	dp.BucketCounts().FromRaw(counts)
	return r
}

func (r *request) exponential(name string, scale, offset int32, counts ...uint64) *request {
	m := r.ms.AppendEmpty()
	m.SetName(name)
	h := m.SetEmptyExponentialHistogram()
	h.SetAggregationTemporality(pmetric.AggregationTemporalityDelta)
	dp := h.DataPoints().AppendEmpty()
	dp.SetScale(scale)
	dp.Positive().SetOffset(offset)
	dp.Positive().BucketCounts().FromRaw(counts)
	var n uint64
	for _, c := range counts {
		n += c
	}
	dp.SetCount(n)
	dp.SetSum(float64(n))
	return r
}

// point is one emitted number point, flattened for assertions.
type point struct {
	metric        string
	attr          string // the status or dyno attribute
	start, at     pcommon.Timestamp
	value         float64
	count         uint64
	buckets       []uint64
	temporalityOK bool
}

func points(t *testing.T, md pmetric.Metrics, want pmetric.AggregationTemporality) []point {
	t.Helper()
	var out []point
	for _, rm := range md.ResourceMetrics().All() {
		for _, sm := range rm.ScopeMetrics().All() {
			for _, m := range sm.Metrics().All() {
				attr := func(a pcommon.Map) string {
					for _, k := range []string{"status", "dyno"} {
						if v, ok := a.Get(k); ok {
							return v.Str()
						}
					}
					return ""
				}
				switch m.Type() {
				case pmetric.MetricTypeSum:
					for _, dp := range m.Sum().DataPoints().All() {
						v := dp.DoubleValue()
						if dp.ValueType() == pmetric.NumberDataPointValueTypeInt {
							v = float64(dp.IntValue())
						}
						out = append(out, point{metric: m.Name(), attr: attr(dp.Attributes()), start: dp.StartTimestamp(), at: dp.Timestamp(), value: v,
							temporalityOK: m.Sum().AggregationTemporality() == want})
					}
				case pmetric.MetricTypeGauge:
					for _, dp := range m.Gauge().DataPoints().All() {
						out = append(out, point{metric: m.Name(), attr: attr(dp.Attributes()), start: dp.StartTimestamp(), at: dp.Timestamp(),
							value: float64(dp.IntValue()), temporalityOK: true})
					}
				case pmetric.MetricTypeHistogram:
					for _, dp := range m.Histogram().DataPoints().All() {
						out = append(out, point{metric: m.Name(), start: dp.StartTimestamp(), at: dp.Timestamp(), value: dp.Sum(),
							count: dp.Count(), buckets: dp.BucketCounts().AsRaw(), temporalityOK: m.Histogram().AggregationTemporality() == want})
					}
				case pmetric.MetricTypeExponentialHistogram:
					for _, dp := range m.ExponentialHistogram().DataPoints().All() {
						out = append(out, point{metric: m.Name(), start: dp.StartTimestamp(), at: dp.Timestamp(), value: float64(dp.Positive().Offset()),
							count: dp.Count(), buckets: dp.Positive().BucketCounts().AsRaw(), temporalityOK: m.ExponentialHistogram().AggregationTemporality() == want})
					}
				}
			}
		}
	}
	return out
}

func TestCumulativeCountersStartAtZeroAndStayUntilExpiry(t *testing.T) {
	c := newClock()
	a := newAgg(c, nil)
	created := c.ts()
	a.Add(newRequest("app").count("requests", "200", 2).md)
	c.advance(time.Second)
	a.Add(newRequest("app").count("requests", "200", 3).md)
	c.advance(14 * time.Second)

	f := a.Collect()
	assert.Equal(t, []point{
		{metric: "requests", attr: "200", start: created, at: created, value: 0, temporalityOK: true},
		{metric: "requests", attr: "200", start: created, at: c.ts(), value: 5, temporalityOK: true},
	}, points(t, f.Metrics, pmetric.AggregationTemporalityCumulative))
	f.Done(true)

	c.advance(15 * time.Second)
	f = a.Collect()
	assert.Equal(t, []point{{metric: "requests", attr: "200", start: created, at: c.ts(), value: 5, temporalityOK: true}},
		points(t, f.Metrics, pmetric.AggregationTemporalityCumulative), "an idle counter is re-emitted without a second zero point")
	f.Done(true)

	c.advance(time.Hour)
	assert.Equal(t, 0, a.Collect().Metrics.DataPointCount(), "expired after an hour without events")
	assert.Equal(t, 0, a.Len())

	a.Add(newRequest("app").count("requests", "200", 1).md)
	c.advance(time.Second)
	got := points(t, a.Collect().Metrics, pmetric.AggregationTemporalityCumulative)
	require.Len(t, got, 2, "a series created again starts again at zero")
	assert.Equal(t, []float64{0, 1}, []float64{got[0].value, got[1].value})
	assert.Greater(t, got[0].start, created)
}

func TestFailedDeliveryIsSentAgain(t *testing.T) {
	c := newClock()
	a := newAgg(c, nil)
	a.Add(newRequest("app").count("requests", "500", 1).md)
	c.advance(time.Second)
	a.Collect().Done(false)
	a.Add(newRequest("app").count("requests", "500", 1).md)
	c.advance(time.Second)
	got := points(t, a.Collect().Metrics, pmetric.AggregationTemporalityCumulative)
	require.Len(t, got, 2, "the zero point is repeated until delivered")
	assert.Equal(t, 2.0, got[1].value)
}

func TestZeroPointIsBeforeTheFirstValue(t *testing.T) {
	c := newClock()
	a := newAgg(c, nil)
	a.Add(newRequest("app").count("requests", "", 1).md)
	got := points(t, a.Collect().Metrics, pmetric.AggregationTemporalityCumulative)
	require.Len(t, got, 2)
	assert.Equal(t, got[0].at+minStep, got[1].at, "a flush right after creation still keeps the two points a millisecond apart")
	assert.Equal(t, got[0].at, got[0].start, "the zero point is the series' start")
	assert.Equal(t, got[0].at, got[1].start, "which moved back with it")
}

func TestDeltaEmitsWhatChangedSinceTheLastDelivery(t *testing.T) {
	c := newClock()
	a := newAgg(c, func(s *Settings) { s.Temporality = pmetric.AggregationTemporalityDelta })
	created := c.ts()
	a.Add(newRequest("app").count("requests", "200", 2).histogram("latency", 0.5, 20).md)
	c.advance(15 * time.Second)
	f := a.Collect()
	first := c.ts()
	assert.Equal(t, []point{
		{metric: "latency", start: created, at: first, value: 20.5, count: 2, buckets: []uint64{1, 0, 1}, temporalityOK: true},
		{metric: "requests", attr: "200", start: created, at: first, value: 2, temporalityOK: true},
	}, points(t, f.Metrics, pmetric.AggregationTemporalityDelta))
	f.Done(true)

	c.advance(15 * time.Second)
	assert.Equal(t, 0, a.Collect().Metrics.DataPointCount(), "nothing new, nothing sent")

	a.Add(newRequest("app").count("requests", "200", 1).histogram("latency", 5).md)
	c.advance(15 * time.Second)
	a.Collect().Done(false)
	a.Add(newRequest("app").count("requests", "200", 4).md)
	c.advance(15 * time.Second)
	assert.Equal(t, []point{
		{metric: "latency", start: first, at: c.ts(), value: 5, count: 1, buckets: []uint64{0, 1, 0}, temporalityOK: true},
		{metric: "requests", attr: "200", start: first, at: c.ts(), value: 5, temporalityOK: true},
	}, points(t, a.Collect().Metrics, pmetric.AggregationTemporalityDelta), "an undelivered delta joins the next one")
}

func TestDoubleCountersAddUp(t *testing.T) {
	c := newClock()
	a := newAgg(c, func(s *Settings) { s.Temporality = pmetric.AggregationTemporalityDelta })
	a.Add(newRequest("app").countDouble("jobs", 1.5).md)
	a.Add(newRequest("app").countDouble("jobs", 2).count("jobs", "", 1).md)
	got := points(t, a.Collect().Metrics, pmetric.AggregationTemporalityDelta)
	require.Len(t, got, 1)
	assert.Equal(t, 4.5, got[0].value)
}

func TestGauges(t *testing.T) {
	c := newClock()
	a := newAgg(c, nil)
	res := a.Add(newRequest("app").gauge("rss", "web.1", lineTS(20), 100).gauge("formation", "web", lineTS(20), 2).md)
	assert.Equal(t, Result{}, res)
	res = a.Add(newRequest("app").gauge("rss", "web.1", lineTS(10), 999).gauge("formation", "web", lineTS(5), 9).md)
	assert.Equal(t, Result{Late: 2}, res, "lines older than the held value are ignored and counted")

	c.advance(15 * time.Second)
	f := a.Collect()
	assert.Equal(t, []point{
		{metric: "formation", attr: "web", at: c.ts(), value: 2, temporalityOK: true},
		{metric: "rss", attr: "web.1", at: c.ts(), value: 100, temporalityOK: true},
	}, points(t, f.Metrics, pmetric.AggregationTemporalityCumulative), "gauges carry the flush time, not the line's")
	f.Done(true)

	c.advance(15 * time.Second)
	f = a.Collect()
	assert.Equal(t, []point{{metric: "formation", attr: "web", at: c.ts(), value: 2, temporalityOK: true}},
		points(t, f.Metrics, pmetric.AggregationTemporalityCumulative), "a sample is sent once; the formation is state and stays")
	f.Done(true)

	a.Add(newRequest("app").gauge("rss", "web.1", lineTS(40), 120).md)
	c.advance(15 * time.Second)
	got := points(t, a.Collect().Metrics, pmetric.AggregationTemporalityCumulative)
	require.Len(t, got, 2)
	assert.Equal(t, 120.0, got[1].value)
}

func TestReportedTotalsAreSampled(t *testing.T) {
	c := newClock()
	a := newAgg(c, func(s *Settings) { s.Temporality = pmetric.AggregationTemporalityDelta })
	created := c.ts()
	a.Add(newRequest("app").total("xact", lineTS(1), 1000).md)
	c.advance(15 * time.Second)
	f := a.Collect()
	assert.Equal(t, []point{{metric: "xact", start: created, at: c.ts(), value: 1000, temporalityOK: false}},
		points(t, f.Metrics, pmetric.AggregationTemporalityDelta), "a total the source reports stays cumulative")
	f.Done(true)
	assert.Equal(t, 0, a.Collect().Metrics.DataPointCount())
}

func TestSeriesCap(t *testing.T) {
	c := newClock()
	a := newAgg(c, func(s *Settings) { s.MaxSeries = 2 })
	res := a.Add(newRequest("app").count("requests", "200", 1).count("requests", "404", 1).count("requests", "500", 1).md)
	assert.Equal(t, Result{Dropped: 1}, res)
	res = a.Add(newRequest("app").count("requests", "200", 1).md)
	assert.Equal(t, Result{}, res, "existing series keep counting at the cap")
	assert.Equal(t, 2, a.Len())
}

func TestHistogramWithOtherBoundsIsDropped(t *testing.T) {
	c := newClock()
	a := newAgg(c, nil)
	a.Add(newRequest("app").histogram("latency", 1).md)
	r := newRequest("app").histogram("latency", 1)
	r.ms.At(0).Histogram().DataPoints().At(0).ExplicitBounds().FromRaw([]float64{5})
	assert.Equal(t, Result{Dropped: 1}, a.Add(r.md))
}

func TestExponentialHistogramsMergeAcrossScales(t *testing.T) {
	c := newClock()
	a := newAgg(c, func(s *Settings) { s.Temporality = pmetric.AggregationTemporalityDelta })
	a.Add(newRequest("app").exponential("m", 3, 8, 1, 1).md)
	f := a.Collect()
	f.Done(true)
	// Scale 2 halves the indices: 8 and 9 at scale 3 are bucket 4 at scale 2.
	a.Add(newRequest("app").exponential("m", 2, 4, 5).md)
	c.advance(time.Second)
	got := points(t, a.Collect().Metrics, pmetric.AggregationTemporalityDelta)
	require.Len(t, got, 1)
	assert.Equal(t, point{metric: "m", start: c.ts() - pcommon.Timestamp(time.Second), at: c.ts(), value: 4, count: 5, buckets: []uint64{5}, temporalityOK: true}, got[0])
}

func TestExponentialCumulative(t *testing.T) {
	c := newClock()
	a := newAgg(c, nil)
	a.Add(newRequest("app").exponential("m", 3, -2, 1, 0, 2).md)
	a.Add(newRequest("app").exponential("m", 3, 0, 1).md)
	got := points(t, a.Collect().Metrics, pmetric.AggregationTemporalityCumulative)
	require.Len(t, got, 2)
	assert.Equal(t, uint64(0), got[0].count)
	assert.Equal(t, []uint64{1, 0, 3}, got[1].buckets)
	assert.Equal(t, 4.0, got[1].value+6, "offset -2")
}

func TestReplicasNeverShareASeries(t *testing.T) {
	c := newClock()
	a := newAgg(c, func(s *Settings) { s.InstanceID = "replica-a" })
	b := newAgg(c, func(s *Settings) { s.InstanceID = "replica-b" })
	// Logplex spreads one drain's requests over both replicas.
	for i := range 10 {
		target := a
		if i%3 == 0 {
			target = b
		}
		target.Add(newRequest("app").count("requests", "200", 1).md)
	}
	c.advance(time.Second)
	totals := map[string]float64{}
	for _, agg := range []*Aggregator{a, b} {
		md := agg.Collect().Metrics
		for _, rm := range md.ResourceMetrics().All() {
			id, ok := rm.Resource().Attributes().Get(InstanceIDKey)
			require.True(t, ok)
			app, _ := rm.Resource().Attributes().Get("service.name")
			assert.Equal(t, "app", app.Str(), "the request's resource is kept")
			for _, p := range points(t, md, pmetric.AggregationTemporalityCumulative) {
				totals[id.Str()] += p.value
			}
		}
	}
	assert.Equal(t, map[string]float64{"replica-a": 6, "replica-b": 4}, totals)
}

func TestResourcesAndAttributeOrder(t *testing.T) {
	c := newClock()
	a := newAgg(c, func(s *Settings) { s.InstanceID = "" })
	r1 := newRequest("app")
	r1.count("requests", "200", 1).ms.At(0).Sum().DataPoints().At(0).Attributes().PutStr("method", "GET")
	r2 := newRequest("app")
	dp := r2.count("requests", "", 1).ms.At(0).Sum().DataPoints().At(0)
	dp.Attributes().PutStr("method", "GET")
	dp.Attributes().PutStr("status", "200")
	a.Add(r1.md)
	a.Add(r2.md)
	a.Add(newRequest("other").count("requests", "200", 1).md)
	assert.Equal(t, 2, a.Len(), "attribute order does not make a new series; another app does")
	md := a.Collect().Metrics
	require.Equal(t, 2, md.ResourceMetrics().Len())
	_, ok := md.ResourceMetrics().At(0).Resource().Attributes().Get(InstanceIDKey)
	assert.False(t, ok, "no instance id configured, none added")
	assert.Equal(t, "scope", md.ResourceMetrics().At(0).ScopeMetrics().At(0).Scope().Name())
}
