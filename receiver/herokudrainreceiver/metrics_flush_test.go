package herokudrainreceiver

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/metadata"
)

// routerReq is a router access line for request id, method and status.
func routerReq(id, status string) string {
	return `<158>1 2024-03-15T12:10:39+00:00 host heroku router - at=info method=GET path="/p" host=a.herokuapp.com request_id=` + id +
		` fwd="1.2.3.4" dyno=web.1 connect=1ms service=18ms status=` + status + ` bytes=13 protocol=https` + "\n"
}

// h10 is a router error line without connect or service time.
func h10(id string) string {
	return `<158>1 2024-03-15T12:10:40+00:00 host heroku router - at=error code=H10 desc="App crashed" method=GET path="/" host=a.herokuapp.com request_id=` + id +
		` fwd="1.2.3.4" dyno= connect= service= status=503 bytes= protocol=https` + "\n"
}

// sums adds up the points of each series of a metric, keyed by an
// attribute's value, over everything the sink received.
func sums(sink *consumertest.MetricsSink, name, key string) map[string]int64 {
	out := map[string]int64{}
	for _, dp := range gaugesByName(sink.AllMetrics())[name] {
		var s string
		if v, ok := dp.Attributes().Get(key); ok {
			s = v.AsString()
		}
		out[s] += dp.IntValue()
	}
	return out
}

func TestRouterRequestsCountEveryRequestOnce(t *testing.T) {
	sink := new(consumertest.MetricsSink)
	r := start(t, nil, pipelines{metrics: sink})
	// The same request logged in two POSTs, an H10 without service time,
	// and two lines without a request id (each counts).
	post(t, r.url, frame(routerReq("a1", "200"))+frame(routerReq("a2", "404")), map[string]string{"Logplex-Frame-Id": "F1"})
	post(t, r.url, frame(routerReq("a1", "200"))+frame(h10("a3"))+frame(routerReq("", "200"))+frame(routerReq("", "200")),
		map[string]string{"Logplex-Frame-Id": "F2"})
	r.flush(t)
	assert.Equal(t, map[string]int64{"200": 3, "404": 1, "503": 1}, sums(sink, "heroku.router.requests", "http.response.status_code"))
	assert.Equal(t, map[string]int64{"": 4, "H10": 1}, sums(sink, "heroku.router.requests", "error.type"))
	for _, dp := range gaugesByName(sink.AllMetrics())["heroku.router.requests"] {
		assert.Equal(t, "https", attr(t, dp.Attributes(), "url.scheme"))
		assert.Equal(t, "GET", attr(t, dp.Attributes(), "http.request.method"))
	}
}

func TestLogRecordsCountEveryRecord(t *testing.T) {
	sink := new(consumertest.MetricsSink)
	r := start(t, nil, pipelines{metrics: sink})
	post(t, r.url, frame(routerReq("b1", "200"))+frame(h10("b2"))+frame(seedLine)+frame(memoryLine)+frame("not a syslog line\n"), nil)
	r.flush(t)
	assert.Equal(t, map[string]int64{"router": 2, "dyno": 1, "app": 1, "": 1}, sums(sink, "heroku.log.records", "heroku.component"))
	assert.Equal(t, map[string]int64{"info": 2, "error": 1, "fatal": 1, "": 1}, sums(sink, "heroku.log.records", "heroku.log.severity"),
		"the line says the level where it can (H10: error), else PRI (<40>: emergency); the unparsed frame has none")
	assert.Equal(t, map[string]int64{"heroku": 3, "app": 1, "other": 1}, sums(sink, "heroku.log.records", "syslog.appname"))
}

func TestReplicasNeverWriteTheSameSeries(t *testing.T) {
	sinkA, sinkB := new(consumertest.MetricsSink), new(consumertest.MetricsSink)
	a := startInstance(t, "instance-a", sinkA)
	b := startInstance(t, "instance-b", sinkB)
	// Logplex spreads one drain over both replicas.
	for i, id := range []string{"r1", "r2", "r3", "r4", "r5"} {
		target := a
		if i%2 == 1 {
			target = b
		}
		post(t, target.url, frame(routerReq(id, "200")), map[string]string{"Logplex-Frame-Id": id})
	}
	a.flush(t)
	b.flush(t)
	byInstance := map[string]int64{}
	for _, sink := range []*consumertest.MetricsSink{sinkA, sinkB} {
		for _, md := range sink.AllMetrics() {
			for _, rm := range md.ResourceMetrics().All() {
				id := attr(t, rm.Resource().Attributes(), "service.instance.id")
				one := pmetric.NewMetrics()
				rm.CopyTo(one.ResourceMetrics().AppendEmpty())
				byInstance[id] += total(gaugesByName([]pmetric.Metrics{one})["heroku.router.requests"])
			}
		}
	}
	assert.Equal(t, map[string]int64{"instance-a": 3, "instance-b": 2}, byInstance, "each replica's series are its own; they sum to the 5 requests")
}

func TestARestartIsANewInstance(t *testing.T) {
	ids := map[string]bool{}
	for range 2 {
		sink := new(consumertest.MetricsSink)
		r := start(t, nil, pipelines{metrics: sink})
		post(t, r.url, frame(seedLine), nil)
		r.flush(t)
		ids[attr(t, sink.AllMetrics()[0].ResourceMetrics().At(0).Resource().Attributes(), "service.instance.id")] = true
	}
	assert.Len(t, ids, 2, "without a collector instance id each receiver makes its own")
}

// startInstance starts a metrics-only receiver whose collector has the
// given service.instance.id.
func startInstance(t *testing.T, id string, sink *consumertest.MetricsSink) testReceiver {
	t.Helper()
	f := NewFactory()
	cfg := f.CreateDefaultConfig().(*Config)
	cfg.NetAddr.Endpoint = "localhost:0"
	set := receivertest.NewNopSettings(metadata.Type)
	set.Resource.Attributes().PutStr("service.instance.id", id)
	m, err := f.CreateMetrics(context.Background(), set, cfg, sink)
	require.NoError(t, err)
	require.NoError(t, m.Start(context.Background(), componenttest.NewNopHost()))
	t.Cleanup(func() { require.NoError(t, m.Shutdown(context.Background())) })
	rcv := m.(interface{ Unwrap() *drainReceiver }).Unwrap()
	return testReceiver{url: "http://" + rcv.addr.String() + cfg.Path, metrics: sink, rcv: rcv}
}

func TestTheFlushLoopEmitsOnItsIntervalAndAtShutdown(t *testing.T) {
	sink := new(consumertest.MetricsSink)
	r := start(t, func(c *Config) { c.FlushInterval = 100 * time.Millisecond }, pipelines{metrics: sink})
	post(t, r.url, frame(seedLine), nil)
	require.Eventually(t, func() bool { return sink.DataPointCount() > 0 }, 5*time.Second, 10*time.Millisecond)
	n := len(sink.AllMetrics())
	require.Eventually(t, func() bool { return len(sink.AllMetrics()) > n }, 5*time.Second, 10*time.Millisecond,
		"an idle counter is emitted again at the next flush")

	sink2 := new(consumertest.MetricsSink)
	f := NewFactory()
	cfg := f.CreateDefaultConfig().(*Config)
	cfg.NetAddr.Endpoint = "localhost:0"
	m, err := f.CreateMetrics(context.Background(), receivertest.NewNopSettings(metadata.Type), cfg, sink2)
	require.NoError(t, err)
	require.NoError(t, m.Start(context.Background(), componenttest.NewNopHost()))
	rcv := m.(interface{ Unwrap() *drainReceiver }).Unwrap()
	post(t, "http://"+rcv.addr.String()+cfg.Path, frame(seedLine), nil)
	require.NoError(t, m.Shutdown(context.Background()))
	assert.Equal(t, int64(1), total(gaugesByName(sink2.AllMetrics())["heroku.log.records"]), "shutdown flushes what was added")
}

func TestLateGaugeLinesAreIgnoredAndCounted(t *testing.T) {
	sink := new(consumertest.MetricsSink)
	r := start(t, nil, pipelines{metrics: sink})
	older := strings.Replace(memoryLine, "20:21:25", "20:20:05", 1)
	older = strings.Replace(older, "memory_rss=21.22MB", "memory_rss=99.00MB", 1)
	post(t, r.url, frame(memoryLine), map[string]string{"Logplex-Frame-Id": "F1"})
	post(t, r.url, frame(older), map[string]string{"Logplex-Frame-Id": "F2"})
	r.flush(t)
	rss := gaugesByName(sink.AllMetrics())["heroku.dyno.memory.rss"]
	require.Len(t, rss, 1)
	assert.Equal(t, int64(22250783), rss[0].IntValue(), "the newer line's 21.22 MB stays")
	m, err := r.tel.GetMetric("otelcol_receiver_herokudrain_metric_points_dropped")
	require.NoError(t, err)
	assert.Equal(t, int64(6), metricTotal(t, m), "the six memory samples of the older line")
}

func TestSeriesCapDropsAndCounts(t *testing.T) {
	sink := new(consumertest.MetricsSink)
	r := start(t, func(c *Config) { c.MaxSeries = 1 }, pipelines{metrics: sink})
	post(t, r.url, frame(seedLine)+frame(memoryLine), nil)
	r.flush(t)
	m, err := r.tel.GetMetric("otelcol_receiver_herokudrain_metric_points_dropped")
	require.NoError(t, err)
	assert.Positive(t, metricTotal(t, m))
	assert.Equal(t, 1, r.rcv.metrics.agg.Len())
}

func TestDeltaTemporality(t *testing.T) {
	sink := new(consumertest.MetricsSink)
	r := start(t, func(c *Config) { c.AggregationTemporality = TemporalityDelta }, pipelines{metrics: sink})
	post(t, r.url, frame(routerReq("d1", "200")), map[string]string{"Logplex-Frame-Id": "F1"})
	r.flush(t)
	post(t, r.url, frame(routerReq("d2", "200")), map[string]string{"Logplex-Frame-Id": "F2"})
	r.flush(t)
	var got []int64
	for _, md := range sink.AllMetrics() {
		for _, rm := range md.ResourceMetrics().All() {
			for _, m := range rm.ScopeMetrics().At(0).Metrics().All() {
				if m.Name() == "heroku.router.requests" {
					assert.Equal(t, pmetric.AggregationTemporalityDelta, m.Sum().AggregationTemporality())
					got = append(got, m.Sum().DataPoints().At(0).IntValue())
				}
			}
		}
	}
	assert.Equal(t, []int64{1, 1}, got, "each flush carries what came since the previous one")
}

func TestURLPathCap(t *testing.T) {
	sink := new(consumertest.MetricsSink)
	r := start(t, func(c *Config) {
		c.RouterMetricsURLPath = true
		c.RouterMetricsMaxURLPaths = 1
	}, pipelines{metrics: sink})
	post(t, r.url, frame(routerReq("u1", "200"))+frame(strings.Replace(routerReq("u2", "200"), `path="/p"`, `path="/q"`, 1)), nil)
	r.flush(t)
	paths := map[string]bool{}
	for _, md := range sink.AllMetrics() {
		for _, rm := range md.ResourceMetrics().All() {
			for _, m := range rm.ScopeMetrics().At(0).Metrics().All() {
				if m.Name() == "http.server.request.duration" {
					for _, dp := range m.Histogram().DataPoints().All() {
						paths[attr(t, dp.Attributes(), "url.path")] = true
					}
				}
			}
		}
	}
	assert.Equal(t, map[string]bool{"/p": true, "_OTHER": true}, paths)
	m, err := r.tel.GetMetric("otelcol_receiver_herokudrain_url_paths_overflow")
	require.NoError(t, err)
	assert.Equal(t, int64(1), metricTotal(t, m))
}

func TestStatusOfMetricsOnlyRequests(t *testing.T) {
	sink := new(consumertest.MetricsSink)
	r := start(t, nil, pipelines{metrics: sink})
	assert.Equal(t, http.StatusOK, post(t, r.url, frame(seedLine), nil).StatusCode)
	assert.Equal(t, http.StatusOK, post(t, r.url, frame(seedLine), nil).StatusCode, "a retry is a duplicate")
	r.flush(t)
	assert.Equal(t, int64(1), total(gaugesByName(sink.AllMetrics())["heroku.log.records"]))
}

func TestHistogramsCanBeTurnedOff(t *testing.T) {
	sink := new(consumertest.MetricsSink)
	r := start(t, func(c *Config) {
		c.Histograms = map[string]HistogramConfig{"heroku.router.connect.duration": {Enabled: false}}
	}, pipelines{metrics: sink})
	post(t, r.url, frame(routerReq("h1", "200")), nil)
	r.flush(t)
	names := map[string]bool{}
	for _, md := range sink.AllMetrics() {
		for _, rm := range md.ResourceMetrics().All() {
			for _, m := range rm.ScopeMetrics().At(0).Metrics().All() {
				names[m.Name()] = true
			}
		}
	}
	assert.False(t, names["heroku.router.connect.duration"])
	assert.True(t, names["http.server.request.duration"])
}
