package aggregate // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/aggregate"

import (
	"maps"
	"slices"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
)

// Flush holds the points of one Collect until the caller says whether they
// were delivered.
type Flush struct {
	// Metrics are the points to deliver; empty when there is nothing to send.
	Metrics pmetric.Metrics

	a       *Aggregator
	at      pcommon.Timestamp
	pending []pending
}

type pending struct {
	s   *series
	gen uint64
	val value // the value emitted (delta mode only)
}

// minStep keeps a series' zero point and its first value apart: Prometheus
// stores milliseconds and refuses two different values at one timestamp.
const minStep = pcommon.Timestamp(time.Millisecond)

// Collect drops expired series and returns the points of every live one,
// stamped with the current time. Call Done on the result with whether the
// points were delivered; until then nothing is marked as sent, so a failed
// delivery is simply sent again (cumulative) or merged into the next delta.
// Collect and Done must not be called concurrently with each other.
func (a *Aggregator) Collect() *Flush {
	now := a.set.Now()
	f := &Flush{Metrics: pmetric.NewMetrics(), a: a, at: pcommon.NewTimestampFromTime(now)}
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, rk := range slices.Sorted(maps.Keys(a.resources)) {
		r := a.resources[rk]
		var sm pmetric.ScopeMetrics
		started := false
		for _, mk := range slices.SortedFunc(maps.Keys(r.metrics), compareMetricKeys) {
			st := r.metrics[mk]
			a.expire(st, now)
			if len(st.series) == 0 {
				delete(r.metrics, mk)
				a.bytes -= int64(st.cost)
				continue
			}
			m := pmetric.NewMetric()
			if !f.emitMetric(st, m, a.set.Temporality) {
				continue
			}
			if !started {
				rm := f.Metrics.ResourceMetrics().AppendEmpty()
				r.res.CopyTo(rm.Resource())
				sm = rm.ScopeMetrics().AppendEmpty()
				sm.Scope().SetName(r.scopeName)
				sm.Scope().SetVersion(r.scopeVersion)
				started = true
			}
			m.MoveTo(sm.Metrics().AppendEmpty())
		}
		if len(r.metrics) == 0 {
			delete(a.resources, rk)
			a.bytes -= r.cost
		}
	}
	return f
}

func compareMetricKeys(x, y metricKey) int {
	if x.name != y.name {
		if x.name < y.name {
			return -1
		}
		return 1
	}
	return int(x.typ) - int(y.typ)
}

func (a *Aggregator) expire(st *metric, now time.Time) {
	if a.set.Expiration <= 0 {
		return
	}
	for k, s := range st.series {
		if time.Duration(now.UnixNano()-s.updated) > a.set.Expiration {
			delete(st.series, k)
			a.series--
			a.bytes -= int64(s.cost)
		}
	}
}

// emitMetric fills m with the points st has to send; false when none.
func (f *Flush) emitMetric(st *metric, m pmetric.Metric, temporality pmetric.AggregationTemporality) bool {
	m.SetName(st.name)
	m.SetUnit(st.unit)
	m.SetDescription(st.desc)
	delta := temporality == pmetric.AggregationTemporalityDelta
	n := 0
	for _, k := range slices.Sorted(maps.Keys(st.series)) {
		s := st.series[k]
		switch st.kind {
		case kindCounter:
			sum := m.Sum()
			if m.Type() != pmetric.MetricTypeSum {
				sum = m.SetEmptySum()
				sum.SetIsMonotonic(st.monotonic)
				sum.SetAggregationTemporality(temporality)
			}
			n += f.emitCounter(sum.DataPoints(), s, delta)
		case kindHistogram:
			h := m.Histogram()
			if m.Type() != pmetric.MetricTypeHistogram {
				h = m.SetEmptyHistogram()
				h.SetAggregationTemporality(temporality)
			}
			n += f.emitHistogram(h.DataPoints(), s, st.bounds, delta)
		case kindExpHistogram:
			h := m.ExponentialHistogram()
			if m.Type() != pmetric.MetricTypeExponentialHistogram {
				h = m.SetEmptyExponentialHistogram()
				h.SetAggregationTemporality(temporality)
			}
			n += f.emitExponential(h.DataPoints(), s, delta)
		case kindSampledSum:
			sum := m.Sum()
			if m.Type() != pmetric.MetricTypeSum {
				sum = m.SetEmptySum()
				sum.SetIsMonotonic(st.monotonic)
				sum.SetAggregationTemporality(pmetric.AggregationTemporalityCumulative)
			}
			if s.gen != s.emitted {
				dp := f.numberPoint(sum.DataPoints(), s, s.created)
				s.val.setOn(dp)
				f.pending = append(f.pending, pending{s: s, gen: s.gen})
				n++
			}
		case kindSampledGauge, kindStateGauge:
			g := m.Gauge()
			if m.Type() != pmetric.MetricTypeGauge {
				g = m.SetEmptyGauge()
			}
			if st.kind == kindStateGauge || s.gen != s.emitted {
				dp := f.numberPoint(g.DataPoints(), s, 0)
				s.val.setOn(dp)
				f.pending = append(f.pending, pending{s: s, gen: s.gen})
				n++
			}
		}
	}
	return n > 0
}

func (f *Flush) numberPoint(dps pmetric.NumberDataPointSlice, s *series, start pcommon.Timestamp) pmetric.NumberDataPoint {
	dp := dps.AppendEmpty()
	s.putAttrs(dp.Attributes())
	dp.SetStartTimestamp(start)
	dp.SetTimestamp(f.at)
	return dp
}

// zeroPointTime is when a new cumulative series' zero point is stamped: its
// creation, moved back to at least minStep before the flush (so the series
// starts there too; a start may precede the first event, never follow it).
func (f *Flush) zeroPointTime(s *series) pcommon.Timestamp {
	s.created = min(s.created, f.at-minStep)
	return s.created
}

// emitAccumulated emits a counter or histogram series. In delta mode: what
// changed since the last delivered flush, or nothing. Cumulative: the total
// since the series' start, after a zero point on its first emission. point
// appends one point with the given start and value stamped at the flush and
// returns it, so that the zero point can be re-stamped.
func (f *Flush) emitAccumulated(s *series, delta, changed bool, diff, snapshot func() value,
	point func(start pcommon.Timestamp, v *value) interface{ SetTimestamp(pcommon.Timestamp) },
) int {
	if delta {
		if !changed {
			return 0
		}
		d := diff()
		point(s.delta.ts, &d)
		f.pending = append(f.pending, pending{s: s, gen: s.gen, val: snapshot()})
		return 1
	}
	n := 0
	if !s.announced {
		zt := f.zeroPointTime(s)
		point(zt, &value{isInt: s.val.isInt}).SetTimestamp(zt)
		n++
	}
	point(s.created, &s.val)
	f.pending = append(f.pending, pending{s: s, gen: s.gen})
	return n + 1
}

func (f *Flush) emitCounter(dps pmetric.NumberDataPointSlice, s *series, delta bool) int {
	b := s.base()
	return f.emitAccumulated(s, delta, s.val.i != b.i || s.val.d != b.d,
		func() value { return value{isInt: s.val.isInt, i: s.val.i - b.i, d: s.val.d - b.d} },
		func() value { return value{i: s.val.i, d: s.val.d} },
		func(start pcommon.Timestamp, v *value) interface{ SetTimestamp(pcommon.Timestamp) } {
			dp := f.numberPoint(dps, s, start)
			v.setOn(dp)
			return dp
		})
}

func (v value) setOn(dp pmetric.NumberDataPoint) {
	if v.isInt {
		dp.SetIntValue(v.i)
	} else {
		dp.SetDoubleValue(v.d)
	}
}

func (f *Flush) emitHistogram(dps pmetric.HistogramDataPointSlice, s *series, bounds []float64, delta bool) int {
	v, b := s.val.hist(), s.base().hist()
	return f.emitAccumulated(s, delta, v.count != b.count,
		func() value {
			d := &hist{count: v.count - b.count, sum: v.sum - b.sum, buckets: slices.Clone(v.buckets)}
			for i := range b.buckets {
				d.buckets[i] -= b.buckets[i]
			}
			return value{h: d}
		},
		func() value { return value{h: &hist{count: v.count, sum: v.sum, buckets: slices.Clone(v.buckets)}} },
		func(start pcommon.Timestamp, v *value) interface{ SetTimestamp(pcommon.Timestamp) } {
			dp := dps.AppendEmpty()
			s.putAttrs(dp.Attributes())
			dp.SetStartTimestamp(start)
			dp.SetTimestamp(f.at)
			dp.ExplicitBounds().FromRaw(bounds)
			h := v.hist()
			dp.SetCount(h.count)
			dp.SetSum(h.sum)
			if h.buckets != nil {
				dp.BucketCounts().FromRaw(h.buckets)
			} else {
				dp.BucketCounts().FromRaw(make([]uint64, len(bounds)+1))
			}
			return dp
		})
}

func (f *Flush) emitExponential(dps pmetric.ExponentialHistogramDataPointSlice, s *series, delta bool) int {
	v, b := s.val.hist(), s.base().hist()
	return f.emitAccumulated(s, delta, v.count != b.count,
		func() value {
			return value{h: &hist{count: v.count - b.count, sum: v.sum - b.sum, zero: v.zero - b.zero,
				pos: subBuckets(v.pos, b.pos), neg: subBuckets(v.neg, b.neg)}}
		},
		func() value {
			return value{h: &hist{count: v.count, sum: v.sum, zero: v.zero, scale: v.scale,
				pos: maps.Clone(v.pos), neg: maps.Clone(v.neg)}}
		},
		func(start pcommon.Timestamp, v *value) interface{ SetTimestamp(pcommon.Timestamp) } {
			dp := dps.AppendEmpty()
			s.putAttrs(dp.Attributes())
			dp.SetStartTimestamp(start)
			dp.SetTimestamp(f.at)
			h := v.hist()
			dp.SetScale(s.val.hist().scale)
			dp.SetCount(h.count)
			dp.SetSum(h.sum)
			dp.SetZeroCount(h.zero)
			fillBuckets(dp.Positive(), h.pos)
			fillBuckets(dp.Negative(), h.neg)
			return dp
		})
}

// subBuckets returns cur - base per index (both at the series' scale).
func subBuckets(cur, base map[int32]uint64) map[int32]uint64 {
	out := maps.Clone(cur)
	for i, c := range base {
		out[i] -= c
	}
	return out
}

func fillBuckets(b pmetric.ExponentialHistogramDataPointBuckets, counts map[int32]uint64) {
	lo, hi, any := int32(0), int32(0), false
	for i, c := range counts {
		if c == 0 {
			continue
		}
		if !any || i < lo {
			lo = i
		}
		if !any || i > hi {
			hi = i
		}
		any = true
	}
	if !any {
		return
	}
	raw := make([]uint64, hi-lo+1)
	for i, c := range counts {
		if c > 0 {
			raw[i-lo] = c
		}
	}
	b.SetOffset(lo)
	b.BucketCounts().FromRaw(raw)
}

// Done records whether the points of f were delivered. Delivered points
// are not sent again (sampled gauges), advance the delta baseline, and end
// the zero point of new cumulative series.
func (f *Flush) Done(delivered bool) {
	if !delivered {
		return
	}
	f.a.mu.Lock()
	defer f.a.mu.Unlock()
	delta := f.a.set.Temporality == pmetric.AggregationTemporalityDelta
	for _, p := range f.pending {
		p.s.emitted = p.gen
		p.s.announced = true
		if delta {
			p.s.delta.val = p.val
			p.s.delta.ts = f.at
		}
	}
	f.pending = nil
}
