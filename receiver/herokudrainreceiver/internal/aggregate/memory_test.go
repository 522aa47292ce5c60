package aggregate

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
)

// routerBounds are the 15 bucket bounds of a router latency histogram.
var routerBounds = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30}

// seriesShape builds a request that creates one series of a given shape for
// app i. Attribute values are substrings of a ~1 KB line, as translate's
// are substrings of the frame they come from, so that a series holding on
// to them would keep the whole line alive.
type seriesShape struct {
	name string
	add  func(r *request, line string, i int)
}

// memLine stands for the frame a point was read from.
func memLine(i int) string {
	return fmt.Sprintf("web.%d GET /apps/%d/items 200 %s", i, i%97, strings.Repeat("x", 1000))
}

var seriesShapes = []seriesShape{
	{"runtime gauge, 2 attributes", func(r *request, line string, i int) {
		m := r.ms.AppendEmpty()
		m.SetName("heroku.dyno.memory.rss")
		m.SetUnit("By")
		dp := m.SetEmptyGauge().DataPoints().AppendEmpty()
		dp.SetTimestamp(lineTS(i))
		dp.SetIntValue(int64(i))
		dyno := line[:strings.IndexByte(line, ' ')]
		dp.Attributes().PutStr("heroku.dyno.name", dyno)
		dp.Attributes().PutStr("heroku.dyno.type", dyno[:3])
	}},
	{"router counter, 6 attributes", func(r *request, line string, i int) {
		m := r.ms.AppendEmpty()
		m.SetName("heroku.router.requests")
		m.SetUnit("{request}")
		s := m.SetEmptySum()
		s.SetIsMonotonic(true)
		s.SetAggregationTemporality(pmetric.AggregationTemporalityDelta)
		dp := s.DataPoints().AppendEmpty()
		dp.SetIntValue(1)
		routerAttrs(dp.Attributes(), line)
	}},
	{"router histogram, 6 attributes, 15 bounds", func(r *request, line string, i int) {
		m := r.ms.AppendEmpty()
		m.SetName("http.server.request.duration")
		m.SetUnit("s")
		h := m.SetEmptyHistogram()
		h.SetAggregationTemporality(pmetric.AggregationTemporalityDelta)
		dp := h.DataPoints().AppendEmpty()
		dp.ExplicitBounds().FromRaw(routerBounds)
		counts := make([]uint64, len(routerBounds)+1)
		counts[i%len(counts)] = 1
		dp.BucketCounts().FromRaw(counts)
		dp.SetCount(1)
		dp.SetSum(0.042)
		routerAttrs(dp.Attributes(), line)
	}},
}

func routerAttrs(a pcommon.Map, line string) {
	f := strings.Fields(line[:strings.Index(line, " x")])
	a.PutStr("http.request.method", f[1])
	a.PutStr("http.route", f[2])
	a.PutStr("heroku.dyno.name", f[0])
	a.PutStr("heroku.dyno.type", f[0][:3])
	a.PutInt("http.response.status_code", 200)
	a.PutStr("url.scheme", "https")
}

// fillSeries adds n series of shape, perApp of them under each app's
// resource, one request per app.
func fillSeries(a *Aggregator, shape seriesShape, n, perApp int) {
	for app := 0; app*perApp < n; app++ {
		r := newRequest("app-" + strconv.Itoa(app))
		r.md.ResourceMetrics().At(0).Resource().Attributes().PutStr("cloud.provider", "heroku")
		for j := 0; j < perApp && app*perApp+j < n; j++ {
			i := app*perApp + j
			shape.add(r, memLine(i), i)
		}
		a.Add(r.md)
	}
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// seriesMemory adds n series of shape (perApp of them under each app) to a
// new aggregator, flushes once, and returns the heap it holds and the size
// it estimates, both per series.
func seriesMemory(shape seriesShape, temporality pmetric.AggregationTemporality, n, perApp int) (held, estimated float64) {
	before := heapInUse()
	a := New(Settings{Temporality: temporality, Expiration: time.Hour, MaxSeries: n})
	fillSeries(a, shape, n, perApp)
	a.Collect().Done(true)
	// A second change and flush gives delta series their baseline.
	fillSeries(a, shape, n, perApp)
	a.Collect().Done(true)
	after := heapInUse()
	runtime.KeepAlive(a)
	return float64(after-before) / float64(n), float64(a.Bytes()) / float64(n)
}

func TestAccountedBytesCoverTheHeap(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates 20,000 series per case")
	}
	const n = 20_000
	for _, shape := range seriesShapes {
		for _, temporality := range []pmetric.AggregationTemporality{pmetric.AggregationTemporalityCumulative, pmetric.AggregationTemporalityDelta} {
			for _, perApp := range []int{n, 10, 1} {
				t.Run(fmt.Sprintf("%s, %s, %d per app", shape.name, temporality, perApp), func(t *testing.T) {
					held, estimated := seriesMemory(shape, temporality, n, perApp)
					t.Logf("held %.0f, estimated %.0f bytes per series", held, estimated)
					assert.GreaterOrEqual(t, estimated, held, "the estimate must cover the heap held")
					assert.Less(t, estimated, 1.6*held, "the estimate should stay close to the heap held")
				})
			}
		}
	}
}

// BenchmarkSeriesMemory reports the heap held per series (bytes/series) for
// 50,000 series of each shape, all under one app.
func BenchmarkSeriesMemory(b *testing.B) {
	for _, shape := range seriesShapes {
		b.Run(strings.Fields(shape.name)[1], func(b *testing.B) {
			b.ReportAllocs()
			var per float64
			for b.Loop() {
				per, _ = seriesMemory(shape, pmetric.AggregationTemporalityCumulative, 50_000, 50_000)
			}
			b.ReportMetric(per, "bytes/series")
		})
	}
}
