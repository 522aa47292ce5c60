package aggregate

import (
	"strconv"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pmetric"
)

// benchRequest is a request-sized contribution: 20 counter series, 10
// gauges and 3 histograms, as a busy app's drain POST carries.
func benchRequest() pmetric.Metrics {
	r := newRequest("app")
	for i := range 20 {
		r.count("heroku.router.requests", strconv.Itoa(200+i), 1)
	}
	for i := range 10 {
		r.gauge("heroku.dyno.memory.rss", "web."+strconv.Itoa(i), lineTS(i), 100)
	}
	for range 3 {
		r.histogram("http.server.request.duration", 0.5, 2, 20)
	}
	return r.md
}

// BenchmarkAdd is the aggregator's share of a request.
func BenchmarkAdd(b *testing.B) {
	a := New(Settings{Temporality: pmetric.AggregationTemporalityCumulative, Expiration: time.Hour, MaxSeries: 1000})
	md := benchRequest()
	b.ReportAllocs()
	for b.Loop() {
		a.Add(md)
	}
}

// BenchmarkCollect is one flush of the series benchRequest creates.
func BenchmarkCollect(b *testing.B) {
	a := New(Settings{Temporality: pmetric.AggregationTemporalityCumulative, Expiration: time.Hour, MaxSeries: 1000})
	a.Add(benchRequest())
	b.ReportAllocs()
	for b.Loop() {
		a.Collect().Done(true)
	}
}

// BenchmarkCollectMany is one flush of 10,000 and 100,000 router counter
// series, ten per app: the time the aggregator's lock is held.
func BenchmarkCollectMany(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			a := New(Settings{Temporality: pmetric.AggregationTemporalityCumulative, Expiration: time.Hour, MaxSeries: n})
			fillSeries(a, seriesShapes[1], n, 10)
			b.ReportAllocs()
			for b.Loop() {
				a.Collect().Done(true)
			}
		})
	}
}
