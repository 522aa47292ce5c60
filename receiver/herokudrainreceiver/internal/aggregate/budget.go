package aggregate // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/aggregate"

import "go.opentelemetry.io/collector/pdata/pmetric"

// The state's size is estimated as it grows, so that Settings.MaxBytes
// bounds it by construction. The fixed costs below are measured on 64-bit
// Go (TestAccountedBytesCoverTheHeap checks that the estimate covers the
// heap really held, docs/metrics.md gives the figures).
const (
	// seriesBytes is a series' struct, its slot in its metric's map and
	// the map's spare room; its key is added.
	seriesBytes = 240
	// histBytes is a histogram's state; 8 bytes a bucket are added.
	histBytes = 96
	// expHistBytes is charged for an exponential histogram's state, whose
	// bucket maps grow with the spread of values (160 buckets at most).
	expHistBytes = 4096
	// deltaBytes is a delta series' baseline record (its histogram state
	// is charged again on top).
	deltaBytes = 48
	// metricBytes is one metric of one resource: its struct, its series
	// map and its slot in the resource's map; 8 bytes a bound are added.
	metricBytes = 480
	// resourceBytes is one resource: its struct and map slot, and its
	// attributes (charged twice the length of its key).
	resourceBytes = 640
)

// full says whether no new series, metric or resource fits.
func (a *Aggregator) full(more int) bool {
	return (a.set.MaxSeries > 0 && a.series >= a.set.MaxSeries) ||
		(a.set.MaxBytes > 0 && a.bytes+int64(more) > a.set.MaxBytes)
}

// seriesCost is the estimate for a series of st with the given key; a
// histogram's buckets are those of points (explicit bounds + 1). In delta
// mode a histogram keeps a second copy as its baseline.
func (a *Aggregator) seriesCost(st *metric, key []byte, buckets int) int64 {
	n := int64(seriesBytes + len(key))
	var h int64
	switch st.kind {
	case kindHistogram:
		h = histBytes + 8*int64(buckets)
	case kindExpHistogram:
		h = expHistBytes
	}
	if a.set.Temporality == pmetric.AggregationTemporalityDelta {
		n += deltaBytes
		h *= 2
	}
	return n + h
}

// dataPoints counts the points of m, all dropped when m cannot be kept.
func dataPoints(m pmetric.Metric) int {
	switch m.Type() {
	case pmetric.MetricTypeSum:
		return m.Sum().DataPoints().Len()
	case pmetric.MetricTypeGauge:
		return m.Gauge().DataPoints().Len()
	case pmetric.MetricTypeHistogram:
		return m.Histogram().DataPoints().Len()
	case pmetric.MetricTypeExponentialHistogram:
		return m.ExponentialHistogram().DataPoints().Len()
	}
	return 0
}

// Bytes reports the estimated size of the state.
func (a *Aggregator) Bytes() int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.bytes
}
