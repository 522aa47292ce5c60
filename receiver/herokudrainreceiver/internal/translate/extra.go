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
}

func (e *extraMetrics) init() {
	e.metrics = pmetric.NewMetricSlice()
	e.byName = map[string]int{}
}

func (e *extraMetrics) len() int { return e.metrics.Len() }

// moveTo appends the collected metrics to dst and empties e.
func (e *extraMetrics) moveTo(dst pmetric.MetricSlice) {
	e.metrics.MoveAndAppendTo(dst)
	clear(e.byName)
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

// deltaSum adds a point to a monotonic delta sum.
func (e *extraMetrics) deltaSum(name, unit, desc string, ts pcommon.Timestamp, v float64) pcommon.Map {
	m := e.metric(name, func(m pmetric.Metric) {
		m.SetUnit(unit)
		m.SetDescription(desc)
		s := m.SetEmptySum()
		s.SetIsMonotonic(true)
		s.SetAggregationTemporality(pmetric.AggregationTemporalityDelta)
	})
	dp := m.Sum().DataPoints().AppendEmpty()
	dp.SetStartTimestamp(ts)
	dp.SetTimestamp(ts)
	dp.SetDoubleValue(v)
	return dp.Attributes()
}
