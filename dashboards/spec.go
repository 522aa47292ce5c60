package main

import (
	"fmt"
	"strings"
)

// The dashboards are described here as data (boards of panels of queries);
// build.go turns that into Grafana dashboards with the SDK and panelmap.go
// into docs/panel-map.md, so the JSON and the docs cannot drift apart.

// Panel kinds (Grafana visualizations).
const (
	kindStat       = "stat"
	kindTimeseries = "timeseries"
	kindTable      = "table"
	kindBarGauge   = "bargauge"
	kindPie        = "piechart"
)

type query struct {
	ref string
	// prom is a PromQL expression for the ${prometheus} data source; instant
	// says whether Grafana runs it as an instant query at the end of the
	// range (stats, tables) or as a range query at step $__interval.
	prom    string
	instant bool
	// logs is a LogsQL expression for the ${logs} (VictoriaLogs) data source,
	// run as logsType; loki is the same question in LogQL for Grafana Loki.
	logs     string
	logsType string
	loki     string
	legend   string
}

type panel struct {
	title   string
	kind    string
	unit    string
	desc    string
	width   uint32 // grid columns of 24; 0 = by kind
	queries []query
}

type board struct {
	uid     string
	title   string
	file    string // json/<file>.json
	desc    string
	filters string // Sumo's filters this board replaces (docs)
	panels  []panel
}

// Template variables every dashboard has.
const (
	varProm     = "prometheus"
	varLogs     = "logs"
	varApp      = "app"
	varDynoType = "dyno_type"
	varDyno     = "dyno"
)

// Ranges Grafana fills in: the whole dashboard range for stats, the step for
// trends.
const (
	rangeAll  = "$__range"
	rangeStep = "$__interval"
)

// sel is a PromQL selector of metric for the chosen app plus matchers.
func sel(metric string, matchers ...string) string {
	return metric + "{" + strings.Join(append([]string{`job=~"$app"`}, matchers...), ", ") + "}"
}

// exact is the increase of the cumulative series s over the last r, with no
// extrapolation: the latest value in the window minus the value before it
// (0 for a series born inside the window). Per-instance series (one per
// collector replica and run) are summed after the subtraction, so replicas
// and restarts add up. At step r the windows telescope: the points of a
// trend add up to the stat over the whole range.
func exact(s, by, r string) string {
	return fmt.Sprintf("%s(last_over_time(%s[%s]) - (%s offset %s or last_over_time(%s[%s]) * 0))",
		sumBy(by), s, r, s, r, s, r)
}

func sumBy(by string) string {
	if by == "" {
		return "sum"
	}
	return "sum by (" + by + ") "
}

// ratio divides two exact sums (average latency = sum of seconds / count).
// Groups with a zero denominator are left out: no value rather than NaN.
func ratio(num, den, by, r string) string {
	return exact(num, by, r) + " / (" + exact(den, by, r) + " > 0)"
}

// quantile of a cumulative histogram over r (by keeps groups besides le).
// With no observation in r histogram_quantile gives NaN; ">= 0" drops it,
// so the panel shows no value instead.
func quantile(q, bucket, by, r string) string {
	le := "le"
	if by != "" {
		le = "le, " + by
	}
	return fmt.Sprintf("histogram_quantile(%s, %s) >= 0", q, exact(bucket, le, r))
}

// latest is the newest value of a gauge in the window r, per group.
func latest(agg, s, by, r string) string {
	return fmt.Sprintf("%s(last_over_time(%s[%s]))", aggBy(agg, by), s, r)
}

func aggBy(agg, by string) string {
	if by == "" {
		return agg
	}
	return agg + " by (" + by + ") "
}

func statQ(ref, expr string) query { return query{ref: ref, prom: expr, instant: true} }
func trend(ref, expr, legend string) query {
	return query{ref: ref, prom: expr, legend: legend}
}

// countStat is a stat panel with the exact count of a counter over the range.
func countStat(title, desc, s string) panel {
	return panel{title: title, kind: kindStat, unit: "short", desc: desc,
		queries: []query{statQ("A", exact(s, "", rangeAll))}}
}

// countTrend is a time series of the exact count per step, by group.
func countTrend(title, desc, s, by, legend string) panel {
	return panel{title: title, kind: kindTimeseries, unit: "short", desc: desc,
		queries: []query{trend("A", exact(s, by, rangeStep), legend)}}
}

// countBy is a bar gauge with the exact count over the range per group.
func countBy(title, desc, s, by, legend string) panel {
	q := statQ("A", exact(s, by, rangeAll))
	q.legend = legend
	return panel{title: title, kind: kindBarGauge, unit: "short", desc: desc, queries: []query{q}}
}

// logsQ is a VictoriaLogs query with its Loki equivalent.
func logsQ(ref, typ, expr, loki string) query {
	return query{ref: ref, logs: expr, logsType: typ, loki: loki}
}

// LogsQL filter for the chosen app's records (service.name is a resource
// attribute; VictoriaLogs keeps the OTel name as the field name). Loki's
// OTLP ingestion turns it into the stream label service_name.
const (
	logsApp = `"service.name":="$app"`
	lokiApp = `{service_name="$app"}`
)
