package translate // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"

import (
	"math"
	"slices"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
)

// histogramDef declares a histogram this receiver derives from lines.
// mdatagen (v0.159) cannot generate histograms (its builder code for them
// does not compile), so the router histograms are declared here, in one
// table (Histograms), which the receiver's config validation and the
// generated section of docs/metrics.md read; a test keeps them in step.
type histogramDef struct {
	name, unit, desc string
	bounds           []float64 // explicit bounds; nil means exponential
	attrs            []string  // attribute keys, for the docs
}

// HistogramInfo describes a declared histogram.
type HistogramInfo struct {
	Name, Unit, Description string
	Bounds                  []float64
	Attributes              []string
}

// Histograms lists the declared histograms, in name order.
func Histograms() []HistogramInfo {
	defs := []*histogramDef{&histConnectDuration, &histRequestDuration, &histResponseBodySize}
	out := make([]HistogramInfo, len(defs))
	for i, d := range defs {
		out[i] = HistogramInfo{Name: d.name, Unit: d.unit, Description: d.desc, Bounds: d.bounds, Attributes: d.attrs}
	}
	return out
}

// routerAttrs are the attributes of the router histograms; url.path only
// with router_metrics_url_path, http.request.method_original only for a
// method outside the standard ones, error.type only for failed requests.
var routerAttrs = []string{attrHTTPMethod, attrHTTPMethodOrig, attrHTTPStatus, AttrDynoName, AttrDynoType, attrErrorType,
	attrURLScheme, attrNetProtoVersion, attrURLPath}

// serviceBounds fit router service= times: apps answer in 1 ms to 30 s
// (H12 ends a request at 30 s).
var serviceBounds = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 15, 30}

// connectBounds fit router connect= times, usually 0 to 5 ms; the top ones
// catch a dyno that is slow to accept (H13, H20).
var connectBounds = []float64{0.0005, 0.001, 0.002, 0.003, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5}

var bodySizeBounds = []float64{0, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000}

// genericBounds serve app measurements without a time or size unit: 1-2.5-5
// steps over nine decades.
var genericBounds = []float64{0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500,
	1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 1_000_000, 10_000_000}

// measureBounds picks the explicit buckets of an app measure# by its unit.
func measureBounds(unit string) []float64 {
	switch unit {
	case "s":
		return serviceBounds
	case "By":
		return bodySizeBounds
	}
	return genericBounds
}

var (
	histRequestDuration = histogramDef{
		name:   "http.server.request.duration",
		unit:   "s",
		desc:   "Time the app took to answer requests Heroku's router passed to it (router service= time), by method, status and dyno.",
		bounds: serviceBounds,
		attrs:  routerAttrs,
	}
	histConnectDuration = histogramDef{
		name:   "heroku.router.connect.duration",
		unit:   "s",
		desc:   "Time Heroku's router took to connect to a dyno (router connect= time).",
		bounds: connectBounds,
		attrs:  routerAttrs,
	}
	histResponseBodySize = histogramDef{
		name:   "http.server.response.body.size",
		unit:   "By",
		desc:   "Response bytes sent from dynos to clients through the router (router bytes=); its sum is the traffic.",
		bounds: bodySizeBounds,
		attrs:  routerAttrs,
	}
)

// histograms aggregates one batch's observations per metric and attribute
// set into histogram points holding that batch's counts.
type histograms struct {
	series map[string]*histSeries // key: metric name + attribute values
	order  []*histSeries          // first-seen order, for stable output
	key    []byte                 // scratch for building keys
}

type histSeries struct {
	def   *histogramDef
	unit  string // overrides def.unit for exponential (l2met) series
	attrs pcommon.Map
	count uint64
	sum   float64
	min   float64
	max   float64
	// explicit buckets
	counts []uint64
	// exponential buckets (scale expScale): index -> count, positive and
	// negative values kept apart; zeros counted alone.
	pos, neg  map[int32]uint64
	zeroCount uint64
}

func (h *histograms) init() {
	h.series = map[string]*histSeries{}
}

// lookup returns the series keyed by h.key, which the caller has built from
// the metric name and attribute values. A hit does not allocate.
func (h *histograms) lookup() (*histSeries, bool) {
	s, ok := h.series[string(h.key)]
	return s, ok
}

// create adds the series keyed by h.key; the caller fills its attributes.
// unit, when set, overrides def.unit (l2met units come from the data).
func (h *histograms) create(def *histogramDef, unit string) *histSeries {
	s := &histSeries{def: def, unit: unit, attrs: pcommon.NewMap(), min: math.Inf(1), max: math.Inf(-1)}
	if def.bounds != nil {
		s.counts = make([]uint64, len(def.bounds)+1)
	}
	h.series[string(h.key)] = s
	h.order = append(h.order, s)
	return s
}

func (s *histSeries) observe(v float64) {
	s.count++
	s.sum += v
	s.min = min(s.min, v)
	s.max = max(s.max, v)
	if s.def.bounds != nil {
		// Buckets are (bound[i-1], bound[i]]; values above the last bound
		// go to the overflow bucket.
		i, _ := slices.BinarySearch(s.def.bounds, v)
		s.counts[i]++
		return
	}
	switch {
	case v > 0:
		if s.pos == nil {
			s.pos = map[int32]uint64{}
		}
		s.pos[expIndex(v)]++
	case v < 0:
		if s.neg == nil {
			s.neg = map[int32]uint64{}
		}
		s.neg[expIndex(-v)]++
	default:
		s.zeroCount++
	}
}

// expScale 3 gives buckets 2^(1/8) apart: about 9% relative error, which is
// plenty for app measurements, over any range of magnitudes.
const expScale = 3

// expIndex is the OTel exponential bucket index of v > 0: bucket i holds
// (base^i, base^(i+1)] with base = 2^(2^-scale).
func expIndex(v float64) int32 {
	return int32(math.Ceil(math.Log2(v)*(1<<expScale))) - 1
}

// moveTo appends one metric per histogram name to dst, with one delta point
// per series covering (start, end].
func (h *histograms) moveTo(dst pmetric.MetricSlice, start, end pcommon.Timestamp) {
	byName := map[string]pmetric.Metric{}
	for _, s := range h.order {
		name := s.def.name
		m, ok := byName[name]
		if !ok {
			m = dst.AppendEmpty()
			m.SetName(name)
			m.SetDescription(s.def.desc)
			m.SetUnit(s.def.unit)
			if s.unit != "" {
				m.SetUnit(s.unit)
			}
			if s.def.bounds != nil {
				m.SetEmptyHistogram().SetAggregationTemporality(pmetric.AggregationTemporalityDelta)
			} else {
				m.SetEmptyExponentialHistogram().SetAggregationTemporality(pmetric.AggregationTemporalityDelta)
			}
			byName[name] = m
		}
		if s.def.bounds != nil {
			dp := m.Histogram().DataPoints().AppendEmpty()
			s.fillPoint(dp, start, end)
			dp.ExplicitBounds().FromRaw(s.def.bounds)
			dp.BucketCounts().FromRaw(s.counts)
			continue
		}
		dp := m.ExponentialHistogram().DataPoints().AppendEmpty()
		s.fillPoint(dp, start, end)
		dp.SetScale(expScale)
		dp.SetZeroCount(s.zeroCount)
		fillExpBuckets(dp.Positive(), s.pos)
		fillExpBuckets(dp.Negative(), s.neg)
	}
	clear(h.series)
	h.order = h.order[:0]
}

// histPoint is what explicit and exponential histogram points share.
type histPoint interface {
	SetStartTimestamp(pcommon.Timestamp)
	SetTimestamp(pcommon.Timestamp)
	Attributes() pcommon.Map
	SetCount(uint64)
	SetSum(float64)
	SetMin(float64)
	SetMax(float64)
}

// fillPoint sets the fields every histogram point has, moving the series'
// attributes into it.
func (s *histSeries) fillPoint(dp histPoint, start, end pcommon.Timestamp) {
	dp.SetStartTimestamp(start)
	dp.SetTimestamp(end)
	s.attrs.MoveTo(dp.Attributes())
	dp.SetCount(s.count)
	dp.SetSum(s.sum)
	dp.SetMin(s.min)
	dp.SetMax(s.max)
}

func fillExpBuckets(b pmetric.ExponentialHistogramDataPointBuckets, counts map[int32]uint64) {
	if len(counts) == 0 {
		return
	}
	lo, hi := int32(math.MaxInt32), int32(math.MinInt32)
	for i := range counts {
		lo, hi = min(lo, i), max(hi, i)
	}
	raw := make([]uint64, hi-lo+1)
	for i, c := range counts {
		raw[i-lo] = c
	}
	b.SetOffset(lo)
	b.BucketCounts().FromRaw(raw)
}

func (h *histograms) len() int { return len(h.order) }
