package e2e

import (
	"fmt"
	"os"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/logplextest"
)

// TestDerivedMetricsArriveThroughTheCollector posts the sample drain through
// the built collector and checks that what Heroku's lines mean arrives as
// metrics and as record attributes: the questions the Sumo dashboards ask.
func TestDerivedMetricsArriveThroughTheCollector(t *testing.T) {
	sink, _, ep := pipeline(t, nil)
	body, err := os.ReadFile(sampleFile)
	if err != nil {
		t.Fatal(err)
	}
	checkDrainResponse(t, postDrain(t, ep.DrainURL(""), logplextest.NewFrameID(), body))

	want := []struct {
		name  string
		attrs map[string]string
		value float64
	}{
		{"heroku.errors", map[string]string{"heroku.error.code": "H12", "heroku.component": "router"}, 1},
		{"heroku.errors", map[string]string{"heroku.error.code": "R14", "heroku.component": "dyno"}, 1},
		{"heroku.errors", map[string]string{"heroku.error.code": "R15", "heroku.component": "dyno"}, 1},
		{"heroku.errors", map[string]string{"heroku.error.code": "L10", "heroku.component": "logplex"}, 1},
		{"heroku.logplex.messages.dropped", map[string]string{"heroku.error.code": "L10"}, 3},
		{"heroku.dyno.state_changes", map[string]string{"heroku.dyno.type": "web", "heroku.dyno.launch": "successful"}, 1},
		{"heroku.dyno.state_changes", map[string]string{"heroku.dyno.type": "worker", "heroku.dyno.launch": "crashed"}, 1},
		{"heroku.dyno.exits", map[string]string{"heroku.dyno.type": "worker", "process.exit.code": "137"}, 1},
		{"heroku.builds", map[string]string{"heroku.build.outcome": "started"}, 1},
		{"heroku.builds", map[string]string{"heroku.build.outcome": "succeeded"}, 1},
		{"heroku.releases", nil, 1},
		{"heroku.deploys", nil, 1},
		{"heroku.scale.operations", nil, 1},
		{"heroku.dyno.formation", map[string]string{"heroku.dyno.type": "web", "heroku.dyno.size": "Standard-1X"}, 2},
		{"heroku.postgres.db.size", map[string]string{"heroku.addon.attachment": "HEROKU_POSTGRESQL_GREEN"}, 147391814791},
		{"heroku.redis.connection.count", map[string]string{"heroku.addon.attachment": "REDIS"}, 404},
		{"orders.created", map[string]string{"heroku.source": "web.1"}, 1},
		{"jobs.processed", map[string]string{"heroku.source": "worker.1"}, 17},
		{"queue.depth", map[string]string{"heroku.source": "web.1"}, 42},
		{"heroku.dynos.reporting", map[string]string{"heroku.dyno.type": "web"}, 1},
	}
	if !sink.WaitFor(30*time.Second, func() bool {
		for _, w := range want {
			if len(sink.Points(w.name, w.attrs)) == 0 {
				return false
			}
		}
		return true
	}) {
		for _, w := range want {
			if len(sink.Points(w.name, w.attrs)) == 0 {
				t.Errorf("no %s point with %v arrived", w.name, w.attrs)
			}
		}
		t.FailNow()
	}
	for _, w := range want {
		checkPoint(t, sink, w.name, w.attrs, "", w.value)
	}

	// Router latency as the semconv histogram: three requests, one of them
	// the H12 timeout (30 s), carried as error.type.
	var requests, timeouts uint64
	var seconds float64
	eachHistogram(sink, "http.server.request.duration", func(m pmetric.Metric, dp pmetric.HistogramDataPoint) {
		if m.Unit() != "s" {
			t.Errorf("http.server.request.duration unit %q, want s", m.Unit())
		}
		requests += dp.Count()
		seconds += dp.Sum()
		if Str(dp.Attributes(), "error.type") == "H12" {
			timeouts += dp.Count()
		}
		if Str(dp.Attributes(), "heroku.router.request_id") != "" {
			t.Error("request ids must never be metric attributes")
		}
	})
	if requests != 3 || timeouts != 1 || seconds < 30 {
		t.Errorf("http.server.request.duration: %d requests, %d H12, %.3f s; want 3, 1, ≥30 s", requests, timeouts, seconds)
	}

	// Records: severity from meaning, not PRI; platform events named.
	if !sink.WaitFor(10*time.Second, func() bool { return sink.LogRecordCount() >= 25 }) {
		t.Fatalf("%d records arrived, want 25", sink.LogRecordCount())
	}
	recs := sink.Records()
	checkRecord := func(what string, match func(Record) bool, check func(Record)) {
		t.Helper()
		if r := findRecord(recs, match); r == nil {
			t.Errorf("no record for %s", what)
		} else {
			check(*r)
		}
	}
	checkRecord("the H12 router line", func(r Record) bool { return Str(r.Attributes(), "heroku.error.code") == "H12" }, func(r Record) {
		if r.SeverityNumber() != plog.SeverityNumberError {
			t.Errorf("H12 severity %v, want ERROR (its PRI 158 says info)", r.SeverityNumber())
		}
		if Str(r.Attributes(), "http.request.method") != "GET" || Str(r.Attributes(), "url.path") != "/reports/annual" || Str(r.Attributes(), "url.query") != "year=2024" {
			t.Errorf("H12 attributes: %v", r.Attributes().AsRaw())
		}
	})
	checkRecord("the release", func(r Record) bool { return r.EventName() == "heroku.api.release" }, func(r Record) {
		if Str(r.Attributes(), "heroku.release.version") != "v42" || Str(r.Attributes(), "user.email") != "dev@acme.example" {
			t.Errorf("release attributes: %v", r.Attributes().AsRaw())
		}
	})
	checkRecord("the crash", func(r Record) bool { return Str(r.Attributes(), "heroku.dyno.launch") == "crashed" }, func(r Record) {
		if r.SeverityNumber() < plog.SeverityNumberError {
			t.Errorf("a crash has severity %v, want ERROR or worse", r.SeverityNumber())
		}
	})
}

// eachHistogram calls fn for the newest explicit-bucket histogram point of
// name per series: cumulative points are re-sent at every flush, and the
// newest holds the total.
func eachHistogram(sink *OTLPSink, name string, fn func(pmetric.Metric, pmetric.HistogramDataPoint)) {
	type newest struct {
		m  pmetric.Metric
		dp pmetric.HistogramDataPoint
	}
	latest := map[string]newest{}
	var order []string
	for _, md := range sink.Metrics() {
		for _, rm := range md.ResourceMetrics().All() {
			for _, sm := range rm.ScopeMetrics().All() {
				for _, m := range sm.Metrics().All() {
					if m.Name() != name || m.Type() != pmetric.MetricTypeHistogram {
						continue
					}
					for _, dp := range m.Histogram().DataPoints().All() {
						key := seriesKey(rm.Resource().Attributes(), dp.Attributes())
						if _, ok := latest[key]; !ok {
							order = append(order, key)
						}
						latest[key] = newest{m, dp}
					}
				}
			}
		}
	}
	for _, k := range order {
		fn(latest[k].m, latest[k].dp)
	}
}

// seriesKey identifies a series by its resource and point attributes (fmt
// prints maps in key order).
func seriesKey(res, attrs pcommon.Map) string {
	return fmt.Sprint(res.AsRaw(), attrs.AsRaw())
}

// latestTotal adds up the newest value of every series of name.
func latestTotal(sink *OTLPSink, name string) float64 {
	latest := map[string]float64{}
	for _, p := range sink.Points(name, nil) {
		v := p.DoubleValue()
		if p.ValueType() == pmetric.NumberDataPointValueTypeInt {
			v = float64(p.IntValue())
		}
		latest[seriesKey(p.Resource.Attributes(), p.Attributes())] = v
	}
	var sum float64
	for _, v := range latest {
		sum += v
	}
	return sum
}
