package translate // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"

import (
	"time"

	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/heroku"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/logplex"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/metadata"
)

// The counters below are counted per batch in small maps and recorded into
// the metrics builder once, when the batch's metrics are built: a builder
// call per line would compare every point the request already holds.

// recordKey is one heroku.log.records series.
type recordKey struct {
	app       metadata.AttributeSyslogAppname
	component heroku.Component
	dynoType  string
	severity  string // "" when neither the line nor its PRI says one
}

// countRecord counts one log record in heroku.log.records. f and l are nil
// for bytes that could not be read as a frame.
func (b *Batch) countRecord(f *logplex.Frame, l *heroku.Line) {
	k := recordKey{app: metadata.AttributeSyslogAppnameOther}
	if f != nil && f.HeaderErr == nil {
		switch string(f.AppName) {
		case "heroku":
			k.app = metadata.AttributeSyslogAppnameHeroku
		case "app":
			k.app = metadata.AttributeSyslogAppnameApp
		}
		k.dynoType = dynoType(f.ProcID)
		k.severity = priSeverity(f.Priority)
	}
	if l != nil {
		k.component = l.Component
		if s := l.Severity.String(); s != "" {
			k.severity = s
		}
	}
	b.logCounts[k]++
}

// priSeverity names an RFC 5424 severity with the levels of
// heroku.log.severity, as the OTel syslog mapping groups them.
func priSeverity(pri int) string {
	if pri < 0 || pri > 191 {
		return ""
	}
	switch pri & 7 {
	case 0:
		return "fatal"
	case 1, 2, 3:
		return "error"
	case 4:
		return "warn"
	case 7:
		return "debug"
	}
	return "info"
}

func (b *Batch) recordLogCounts() {
	mb := b.set.Builder
	for k, n := range b.logCounts {
		if k.severity != "" {
			mb.RecordHerokuLogRecordsDataPoint(b.observed, n, k.app, k.component.String(), k.dynoType,
				metadata.WithHerokuLogSeverityMetricAttribute(k.severity))
		} else {
			mb.RecordHerokuLogRecordsDataPoint(b.observed, n, k.app, k.component.String(), k.dynoType)
		}
	}
	clear(b.logCounts)
}

// routerRequest is one router line's contribution to heroku.router.requests,
// held until the batch's metrics are built (only a batch read in full
// counts, so that a retry of a cut-off body is not taken for a repeat).
type routerRequest struct {
	id                            string
	method, dyno, scheme, errType string
	status                        int64
	hasStatus                     bool
}

// recordRouterRequests counts each router request once: lines whose request
// id was already counted (here or in an earlier batch) are skipped; lines
// without an id all count.
func (b *Batch) recordRouterRequests() {
	if len(b.requests) == 0 {
		return
	}
	counts := map[routerRequest]int64{}
	now := time.Now()
	for _, r := range b.requests {
		if r.id != "" && b.set.RequestIDs != nil && !b.set.RequestIDs.First(r.id, now) {
			continue
		}
		r.id = ""
		counts[r]++
	}
	mb := b.set.Builder
	opts := make([]metadata.MetricAttributeOption, 0, 2)
	for k, n := range counts {
		opts = opts[:0]
		if k.hasStatus {
			opts = append(opts, metadata.WithHTTPResponseStatusCodeMetricAttribute(k.status))
		}
		if k.errType != "" {
			opts = append(opts, metadata.WithErrorTypeMetricAttribute(k.errType))
		}
		mb.RecordHerokuRouterRequestsDataPoint(b.observed, n, k.method, k.dyno, dynoTypeOfName(k.dyno), k.scheme, opts...)
	}
	b.requests = b.requests[:0]
}

// markCountersDelta marks the builder's sums as what they are before the
// aggregator adds them up: this batch's counts. metadata.yaml declares them
// cumulative, which is what the receiver emits by default. Totals an add-on
// reports stay cumulative: the aggregator keeps their latest value.
func markCountersDelta(md pmetric.Metrics) {
	for _, rm := range md.ResourceMetrics().All() {
		for _, sm := range rm.ScopeMetrics().All() {
			for _, m := range sm.Metrics().All() {
				if m.Type() == pmetric.MetricTypeSum && !reportedTotals[m.Name()] {
					m.Sum().SetAggregationTemporality(pmetric.AggregationTemporalityDelta)
				}
			}
		}
	}
}
