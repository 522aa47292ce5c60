// Package aggregate keeps the receiver's metric state across requests and
// turns it into points on a flush interval.
//
// Each request contributes what its lines measured (delta counts and
// histograms, gauge samples stamped with the line's time). The Aggregator
// adds those contributions into one series per resource, metric and
// attribute set, and Collect emits every live series stamped with the flush
// time: cumulative by default (start = when the series was created, with a
// zero-valued point at that start on its first emission), or delta since the
// previous successful flush. docs/metrics.md explains the model.
package aggregate // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/aggregate"

import (
	"slices"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
)

// InstanceIDKey is the resource attribute that tells replicas apart.
const InstanceIDKey = "service.instance.id"

// Settings configures an Aggregator.
type Settings struct {
	// Temporality of emitted counters and histograms: cumulative or delta.
	Temporality pmetric.AggregationTemporality
	// Expiration drops a series that had no new contribution for this long.
	Expiration time.Duration
	// MaxSeries caps the series held; contributions to new series beyond it
	// are dropped (and reported by Add).
	MaxSeries int
	// MaxBytes caps the estimated size of the state (series, metrics and
	// resources, see budget.go) the same way; 0 for no cap.
	MaxBytes int64
	// InstanceID, when set, is put on every resource as service.instance.id.
	InstanceID string
	// StateGauges names gauges that describe state rather than samples (the
	// formation): they are re-emitted at every flush until they expire.
	StateGauges []string
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Result says what Add could not keep.
type Result struct {
	// Late counts gauge points older than the value already held.
	Late int
	// Dropped counts points refused because the series cap was reached or
	// because they could not be merged into their series.
	Dropped int
}

// Aggregator is safe for concurrent use.
type Aggregator struct {
	set   Settings
	state map[string]bool   // StateGauges as a set
	names map[string]string // copies of metric and scope names (under mu), see intern

	mu        sync.Mutex
	resources map[string]*resource
	series    int
	bytes     int64  // estimated size of the state, see budget.go
	key       []byte // scratch for keys, used under mu
}

// New returns an empty Aggregator.
func New(set Settings) *Aggregator {
	if set.Now == nil {
		set.Now = time.Now
	}
	a := &Aggregator{set: set, state: map[string]bool{}, names: map[string]string{}, resources: map[string]*resource{}}
	for _, n := range set.StateGauges {
		a.state[n] = true
	}
	return a
}

// Len reports the number of series held.
func (a *Aggregator) Len() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.series
}

// resource holds one resource and scope. Strings taken from a request are
// copied , so that the state never keeps a
// request's frames alive.
type resource struct {
	res          pcommon.Resource
	scopeName    string
	scopeVersion string
	metrics      map[metricKey]*metric
	cost         int64 // its share of Aggregator.bytes
}

type metricKey struct {
	name string
	typ  pmetric.MetricType
}

// kind says how a metric's points are merged and emitted.
type kind int

const (
	kindCounter      kind = iota // delta sum: values add up
	kindHistogram                // delta explicit-bucket histogram
	kindExpHistogram             // delta exponential histogram
	kindSampledGauge             // latest sample, emitted while fresh
	kindStateGauge               // latest value, re-emitted until expiry
	kindSampledSum               // a total reported by the source, emitted while fresh
)

type metric struct {
	name, unit, desc string
	kind             kind
	monotonic        bool
	bounds           []float64
	series           map[string]*series
	cost             int // its share of Aggregator.bytes, without its series
}

// series is one attribute set of one metric. Its attributes are kept only
// as key, the encoding that indexes it in metric.series, and rebuilt at
// each flush; odd holds them instead when the key cannot be decoded.
type series struct {
	key     string
	odd     *pcommon.Map
	created pcommon.Timestamp // wall clock when first contributed to
	updated int64             // wall clock of the last contribution, Unix ns

	val     value
	gen     uint64 // bumped by every accepted contribution
	lineTS  pcommon.Timestamp
	emitted uint64 // gen last delivered (sampled kinds)

	announced bool      // its start point was delivered (cumulative)
	cost      uint32    // its share of Aggregator.bytes
	delta     *baseline // delta temporality only
}

// baseline is what a delta series last delivered, and when (the start of
// its next point).
type baseline struct {
	val value
	ts  pcommon.Timestamp
}

// noValue stands for the baseline of a cumulative series; never written.
var noValue = &value{}

// base returns the value s last delivered in delta mode, noValue otherwise.
func (s *series) base() *value {
	if s.delta == nil {
		return noValue
	}
	return &s.delta.val
}

// value is what a series accumulates: a number, or a histogram in h.
type value struct {
	isInt bool
	i     int64
	d     float64
	h     *hist
}

// hist is the state of a histogram series: explicit buckets, or the
// exponential ones at scale.
type hist struct {
	count   uint64
	sum     float64
	buckets []uint64
	scale   int32
	zero    uint64
	pos     map[int32]uint64
	neg     map[int32]uint64
}

// noHist stands for a histogram nothing was added to; never written.
var noHist = &hist{}

// hist returns v's histogram, noHist when it has none.
func (v *value) hist() *hist {
	if v.h == nil {
		return noHist
	}
	return v.h
}

// Add merges one request's metrics into the state. md is only read.
func (a *Aggregator) Add(md pmetric.Metrics) Result {
	var res Result
	now := a.set.Now()
	a.mu.Lock()
	defer a.mu.Unlock()
	rms := md.ResourceMetrics()
	for i := 0; i < rms.Len(); i++ {
		rm := rms.At(i)
		for j := 0; j < rm.ScopeMetrics().Len(); j++ {
			sm := rm.ScopeMetrics().At(j)
			r := a.resource(rm.Resource(), sm.Scope())
			ms := sm.Metrics()
			for k := 0; k < ms.Len(); k++ {
				if r == nil {
					res.Dropped += dataPoints(ms.At(k))
					continue
				}
				a.addMetric(r, ms.At(k), now, &res)
			}
		}
	}
	return res
}

func (a *Aggregator) resource(res pcommon.Resource, scope pcommon.InstrumentationScope) *resource {
	a.key, _ = appendMapKey(a.key[:0], res.Attributes())
	a.key = append(a.key, 1)
	a.key = append(a.key, scope.Name()...)
	a.key = append(a.key, 0)
	a.key = append(a.key, scope.Version()...)
	if r, ok := a.resources[string(a.key)]; ok {
		return r
	}
	cost := int64(resourceBytes + 2*len(a.key))
	if a.full(int(cost)) {
		return nil
	}
	a.bytes += cost
	r := &resource{
		cost:         cost,
		res:          pcommon.NewResource(),
		scopeName:    a.intern(scope.Name()),
		scopeVersion: a.intern(scope.Version()),
		metrics:      map[metricKey]*metric{},
	}
	cloneMap(r.res.Attributes(), res.Attributes())
	if a.set.InstanceID != "" {
		r.res.Attributes().PutStr(InstanceIDKey, a.set.InstanceID)
	}
	a.resources[string(a.key)] = r
	return r
}

func (a *Aggregator) addMetric(r *resource, m pmetric.Metric, now time.Time, res *Result) {
	mk := metricKey{name: m.Name(), typ: m.Type()}
	st := r.metrics[mk]
	if st == nil {
		cost := metricBytes
		if m.Type() == pmetric.MetricTypeHistogram && m.Histogram().DataPoints().Len() > 0 {
			cost += 8 * m.Histogram().DataPoints().At(0).ExplicitBounds().Len()
		}
		if a.full(cost) {
			res.Dropped += dataPoints(m)
			return
		}
		mk.name = a.intern(mk.name)
		st = &metric{name: mk.name, unit: a.intern(m.Unit()), desc: a.intern(m.Description()), series: map[string]*series{}}
		switch m.Type() {
		case pmetric.MetricTypeSum:
			st.monotonic = m.Sum().IsMonotonic()
			st.kind = kindCounter
			if m.Sum().AggregationTemporality() == pmetric.AggregationTemporalityCumulative {
				st.kind = kindSampledSum
			}
		case pmetric.MetricTypeGauge:
			st.kind = kindSampledGauge
			if a.state[m.Name()] {
				st.kind = kindStateGauge
			}
		case pmetric.MetricTypeHistogram:
			st.kind = kindHistogram
		case pmetric.MetricTypeExponentialHistogram:
			st.kind = kindExpHistogram
		default:
			return // summaries: never produced by the receiver
		}
		st.cost = cost
		a.bytes += int64(cost)
		r.metrics[mk] = st
	}
	switch m.Type() {
	case pmetric.MetricTypeSum:
		a.addNumbers(st, m.Sum().DataPoints(), now, res)
	case pmetric.MetricTypeGauge:
		a.addNumbers(st, m.Gauge().DataPoints(), now, res)
	case pmetric.MetricTypeHistogram:
		dps := m.Histogram().DataPoints()
		for i := 0; i < dps.Len(); i++ {
			dp := dps.At(i)
			s := a.seriesFor(st, dp.Attributes(), dp.ExplicitBounds().Len()+1, now)
			if s == nil || !s.val.addHistogram(dp, st) {
				res.Dropped++
				continue
			}
			s.touch(now)
		}
	case pmetric.MetricTypeExponentialHistogram:
		dps := m.ExponentialHistogram().DataPoints()
		for i := 0; i < dps.Len(); i++ {
			dp := dps.At(i)
			s := a.seriesFor(st, dp.Attributes(), 0, now)
			if s == nil {
				res.Dropped++
				continue
			}
			s.val.addExponential(dp)
			if b, v := s.base().h, s.val.h; b != nil && b.pos != nil && b.scale > v.scale {
				// Keep the delta baseline at the series' scale.
				by := b.scale - v.scale
				b.pos, b.neg, b.scale = downscale(b.pos, by), downscale(b.neg, by), v.scale
			}
			s.touch(now)
		}
	}
}

func (a *Aggregator) addNumbers(st *metric, dps pmetric.NumberDataPointSlice, now time.Time, res *Result) {
	for i := 0; i < dps.Len(); i++ {
		dp := dps.At(i)
		s := a.seriesFor(st, dp.Attributes(), 0, now)
		if s == nil {
			res.Dropped++
			continue
		}
		isInt := dp.ValueType() == pmetric.NumberDataPointValueTypeInt
		if st.kind == kindCounter {
			if s.gen == 0 {
				s.val.isInt = isInt
			}
			s.val.addNumber(dp, isInt)
			s.touch(now)
			continue
		}
		// Gauges and reported totals: the latest line wins; an older one
		// arriving after it is ignored.
		if s.gen > 0 && dp.Timestamp() < s.lineTS {
			res.Late++
			continue
		}
		s.lineTS = dp.Timestamp()
		s.val = value{isInt: isInt, i: dp.IntValue(), d: dp.DoubleValue()}
		s.touch(now)
	}
}

// seriesFor returns the series of attrs, creating it when the caps allow;
// nil when they do not. buckets is the number of a histogram's buckets.
func (a *Aggregator) seriesFor(st *metric, attrs pcommon.Map, buckets int, now time.Time) *series {
	var decodable bool
	a.key, decodable = appendMapKey(a.key[:0], attrs)
	if s, ok := st.series[string(a.key)]; ok {
		return s
	}
	cost := a.seriesCost(st, a.key, buckets)
	if a.full(int(cost)) {
		return nil
	}
	s := &series{key: string(a.key), created: pcommon.NewTimestampFromTime(now), cost: uint32(cost)}
	if !decodable {
		m := pcommon.NewMap()
		cloneMap(m, attrs)
		s.odd = &m
	}
	if a.set.Temporality == pmetric.AggregationTemporalityDelta {
		s.delta = &baseline{ts: s.created}
	}
	st.series[s.key] = s
	a.series++
	a.bytes += cost
	return s
}

func (s *series) touch(now time.Time) {
	s.gen++
	s.updated = now.UnixNano()
}

func (v *value) addNumber(dp pmetric.NumberDataPoint, isInt bool) {
	switch {
	case v.isInt && isInt:
		v.i += dp.IntValue()
	case v.isInt:
		v.i += int64(dp.DoubleValue())
	case isInt:
		v.d += float64(dp.IntValue())
	default:
		v.d += dp.DoubleValue()
	}
}

// addHistogram adds an explicit-bucket point; false when its bounds differ
// from the metric's.
func (v *value) addHistogram(dp pmetric.HistogramDataPoint, st *metric) bool {
	bounds := dp.ExplicitBounds().AsRaw()
	if st.bounds == nil {
		st.bounds = bounds
	}
	counts := dp.BucketCounts()
	if !slices.Equal(bounds, st.bounds) || (counts.Len() != 0 && counts.Len() != len(bounds)+1) {
		return false
	}
	if v.h == nil {
		v.h = &hist{buckets: make([]uint64, len(bounds)+1)}
	}
	h := v.h
	for i := 0; i < counts.Len(); i++ {
		h.buckets[i] += counts.At(i)
	}
	h.count += dp.Count()
	h.sum += dp.Sum()
	return true
}

// addExponential adds an exponential point, lowering the series' scale when
// the point's is coarser.
func (v *value) addExponential(dp pmetric.ExponentialHistogramDataPoint) {
	scale := dp.Scale()
	if v.h == nil {
		v.h = &hist{pos: map[int32]uint64{}, neg: map[int32]uint64{}, scale: scale}
	}
	h := v.h
	if scale < h.scale {
		h.pos, h.neg = downscale(h.pos, h.scale-scale), downscale(h.neg, h.scale-scale)
		h.scale = scale
	}
	shift := scale - h.scale
	addBuckets(h.pos, dp.Positive(), shift)
	addBuckets(h.neg, dp.Negative(), shift)
	h.zero += dp.ZeroCount()
	h.count += dp.Count()
	h.sum += dp.Sum()
}

func addBuckets(dst map[int32]uint64, b pmetric.ExponentialHistogramDataPointBuckets, shift int32) {
	counts := b.BucketCounts()
	for i := 0; i < counts.Len(); i++ {
		if c := counts.At(i); c > 0 {
			dst[(b.Offset()+int32(i))>>shift] += c
		}
	}
}

func downscale(m map[int32]uint64, by int32) map[int32]uint64 {
	out := make(map[int32]uint64, len(m))
	for i, c := range m {
		out[i>>by] += c
	}
	return out
}

// maxNames bounds the names intern remembers.
const maxNames = 4096

// intern returns a copy of s owned by the aggregator, one copy per distinct
// name while fewer than maxNames are known (then it starts over: names
// already held stay valid). Strings of a request may be parts of its frames;
// a copy keeps the state from holding those alive.
func (a *Aggregator) intern(s string) string {
	if c, ok := a.names[s]; ok {
		return c
	}
	if len(a.names) >= maxNames {
		clear(a.names)
	}
	c := strings.Clone(s)
	a.names[c] = c
	return c
}
