package translate // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"

import (
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
)

// extraMetrics holds the metrics whose names come from the data (app and
// add-on sample# keys, l2met measurements) and so cannot be declared in
// metadata.yaml. Points of one name share one pmetric.Metric.
type extraMetrics struct {
	metrics pmetric.MetricSlice
	byName  map[string]int
	// sums holds the delta sums of this request, one point per name and
	// source, finished by moveTo with the request's interval.
	sums   map[string]pmetric.NumberDataPoint
	sumKey []byte
}

func (e *extraMetrics) init() {
	e.metrics = pmetric.NewMetricSlice()
	e.byName = map[string]int{}
	e.sums = map[string]pmetric.NumberDataPoint{}
}

// name returns name as a string, reusing the one already stored for a
// metric of that name (the lookup does not allocate).
func (e *extraMetrics) name(name []byte) string {
	if i, ok := e.byName[string(name)]; ok {
		return e.metrics.At(i).Name()
	}
	return string(name)
}

func (e *extraMetrics) len() int { return e.metrics.Len() }

// moveTo stamps the delta sums with the request's interval, appends the
// collected metrics to dst and empties e.
func (e *extraMetrics) moveTo(dst pmetric.MetricSlice, start, end pcommon.Timestamp) {
	for _, dp := range e.sums {
		dp.SetStartTimestamp(start)
		dp.SetTimestamp(end)
	}
	e.metrics.MoveAndAppendTo(dst)
	clear(e.byName)
	clear(e.sums)
}

// metric returns the metric called name, creating it with setup on first use.
func (e *extraMetrics) metric(name string, setup func(pmetric.Metric)) pmetric.Metric {
	if i, ok := e.byName[name]; ok {
		return e.metrics.At(i)
	}
	m := e.metrics.AppendEmpty()
	m.SetName(name)
	setup(m)
	e.byName[name] = e.metrics.Len() - 1
	return m
}

// gauge adds a double gauge point.
func (e *extraMetrics) gauge(name, unit, desc string, ts pcommon.Timestamp, v float64) pcommon.Map {
	m := e.metric(name, func(m pmetric.Metric) {
		m.SetUnit(unit)
		m.SetDescription(desc)
		m.SetEmptyGauge()
	})
	dp := m.Gauge().DataPoints().AppendEmpty()
	dp.SetTimestamp(ts)
	dp.SetDoubleValue(v)
	return dp.Attributes()
}

// deltaSum adds v to the request's delta sum called name for source.
func (e *extraMetrics) deltaSum(name, source []byte, unit string, v float64) {
	e.sumKey = append(append(append(e.sumKey[:0], name...), 0), source...)
	if dp, ok := e.sums[string(e.sumKey)]; ok {
		dp.SetDoubleValue(dp.DoubleValue() + v)
		return
	}
	m := e.metric(e.name(name), func(m pmetric.Metric) {
		m.SetUnit(unit)
		s := m.SetEmptySum()
		s.SetIsMonotonic(true)
		s.SetAggregationTemporality(pmetric.AggregationTemporalityDelta)
	})
	dp := m.Sum().DataPoints().AppendEmpty()
	dp.SetDoubleValue(v)
	if len(source) > 0 {
		dp.Attributes().PutStr(AttrL2metSource, string(source))
	}
	e.sums[string(e.sumKey)] = dp
}
