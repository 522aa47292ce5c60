package translate

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/logplex"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/metadata"
)

var receivedAt = time.Date(2024, 3, 15, 12, 11, 0, 0, time.UTC)

type metricsOpt func(*Settings)

// metricsOf runs Logplex syslog lines (without length prefixes) through one
// Batch and returns the metrics it builds.
func metricsOf(t *testing.T, lines []string, opts ...metricsOpt) pmetric.Metrics {
	t.Helper()
	mbc := metadata.DefaultMetricsBuilderConfig()
	set := Settings{
		Metrics:            true,
		Builder:            metadata.NewMetricsBuilder(mbc, receivertest.NewNopSettings(metadata.Type)),
		ResourceAttributes: mbc.ResourceAttributes,
	}
	for _, o := range opts {
		o(&set)
	}
	b := NewBatch(set, Resource{DrainToken: "d.fc6b856b-3332-4546-93de-7d0ee272c3bd"}, pcommon.NewTimestampFromTime(receivedAt), 0)
	var body strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&body, "%d %s", len(l), l)
	}
	s := logplex.NewScanner(strings.NewReader(body.String()), logplex.Options{})
	for s.Scan() {
		require.NoError(t, s.Frame().Err, "test line must be well formed")
		b.Add(s.Frame())
	}
	return b.Metrics()
}

// metric finds the metric called name, failing if it is missing.
func metric(t *testing.T, md pmetric.Metrics, name string) pmetric.Metric {
	t.Helper()
	if m, ok := findMetric(md, name); ok {
		return m
	}
	var names []string
	for i := 0; i < md.ResourceMetrics().Len(); i++ {
		ms := md.ResourceMetrics().At(i).ScopeMetrics().At(0).Metrics()
		for j := 0; j < ms.Len(); j++ {
			names = append(names, ms.At(j).Name())
		}
	}
	require.Failf(t, "metric missing", "%s not in %v", name, names)
	return pmetric.Metric{}
}

func findMetric(md pmetric.Metrics, name string) (pmetric.Metric, bool) {
	for i := 0; i < md.ResourceMetrics().Len(); i++ {
		sms := md.ResourceMetrics().At(i).ScopeMetrics()
		for j := 0; j < sms.Len(); j++ {
			ms := sms.At(j).Metrics()
			for k := 0; k < ms.Len(); k++ {
				if ms.At(k).Name() == name {
					return ms.At(k), true
				}
			}
		}
	}
	return pmetric.Metric{}, false
}

// sumPoints maps each point's attributes (as a sorted k=v string) to its value.
func sumPoints(t *testing.T, m pmetric.Metric) map[string]float64 {
	t.Helper()
	var dps pmetric.NumberDataPointSlice
	switch m.Type() {
	case pmetric.MetricTypeSum:
		dps = m.Sum().DataPoints()
	case pmetric.MetricTypeGauge:
		dps = m.Gauge().DataPoints()
	default:
		require.Failf(t, "not a number metric", "%s is %s", m.Name(), m.Type())
	}
	out := map[string]float64{}
	for i := 0; i < dps.Len(); i++ {
		dp := dps.At(i)
		v := dp.DoubleValue()
		if dp.ValueType() == pmetric.NumberDataPointValueTypeInt {
			v = float64(dp.IntValue())
		}
		out[attrString(dp.Attributes())] += v
	}
	return out
}

func attrString(m pcommon.Map) string {
	var parts []string
	for k, v := range m.All() {
		parts = append(parts, k+"="+v.AsString())
	}
	slices.Sort(parts)
	return strings.Join(parts, ",")
}

const (
	routerOK1 = `<158>1 2024-03-15T12:10:39.100000+00:00 host heroku router - at=info method=GET path="/checkout?id=7" host=acme.herokuapp.com request_id=8601b555-6a83-4c12-8269-97c8e32cdb22 fwd="204.204.204.204" dyno=web.1 connect=1ms service=18ms status=200 bytes=13 protocol=https` + "\n"
	routerOK2 = `<158>1 2024-03-15T12:10:40.100000+00:00 host heroku router - at=info method=GET path="/" host=acme.herokuapp.com request_id=f3b1c2d4-0000-4c12-8269-97c8e32cdb22 fwd="10.0.0.1" dyno=web.1 connect=3ms service=30ms status=200 bytes=2000 protocol=https` + "\n"
	routerH12 = `<158>1 2024-03-15T12:10:41.000000+00:00 host heroku router - at=error code=H12 desc="Request timeout" method=POST path="/slow" host=acme.herokuapp.com request_id=0d2c6a5e-8f0f-4f19-8a5e-2b1d0e1f9a01 fwd="1.2.3.4" dyno=web.2 connect=0ms service=30000ms status=503 bytes=0 protocol=https` + "\n"
)

func TestRouterLinesBecomeSemconvHistograms(t *testing.T) {
	md := metricsOf(t, []string{routerOK1, routerOK2, routerH12})

	dur := metric(t, md, "http.server.request.duration")
	assert.Equal(t, "s", dur.Unit())
	require.Equal(t, pmetric.MetricTypeHistogram, dur.Type())
	assert.Equal(t, pmetric.AggregationTemporalityDelta, dur.Histogram().AggregationTemporality())
	points := map[string]pmetric.HistogramDataPoint{}
	for i := 0; i < dur.Histogram().DataPoints().Len(); i++ {
		dp := dur.Histogram().DataPoints().At(i)
		points[attrString(dp.Attributes())] = dp
	}
	ok := points["heroku.dyno.name=web.1,heroku.dyno.type=web,http.request.method=GET,http.response.status_code=200,url.scheme=https"]
	require.NotZero(t, ok.Count(), "points: %v", keys(points))
	assert.Equal(t, uint64(2), ok.Count(), "two GET 200 requests on web.1 share a series")
	assert.InDelta(t, 0.048, ok.Sum(), 1e-9, "18ms + 30ms, in seconds")
	assert.InDelta(t, 0.018, ok.Min(), 1e-9)
	assert.InDelta(t, 0.030, ok.Max(), 1e-9)

	timeout := points["error.type=H12,heroku.dyno.name=web.2,heroku.dyno.type=web,http.request.method=POST,http.response.status_code=503,url.scheme=https"]
	assert.Equal(t, uint64(1), timeout.Count(), "points: %v", keys(points))
	assert.InDelta(t, 30.0, timeout.Sum(), 1e-9)

	for k := range points {
		assert.NotContains(t, k, "request_id", "request ids are never metric attributes")
		assert.NotContains(t, k, "url.path", "paths only when configured")
	}

	conn := metric(t, md, "heroku.router.connect.duration")
	assert.Equal(t, 2, conn.Histogram().DataPoints().Len(), "two series: web.1 GET 200 and web.2 POST 503")
	size := metric(t, md, "http.server.response.body.size")
	var bytes float64
	for i := 0; i < size.Histogram().DataPoints().Len(); i++ {
		bytes += size.Histogram().DataPoints().At(i).Sum()
	}
	assert.Equal(t, 2013.0, bytes, "the sum of bytes= is the traffic")

	errs := sumPoints(t, metric(t, md, "heroku.errors"))
	assert.Equal(t, map[string]float64{"heroku.component=router,heroku.error.code=H12": 1}, errs)
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestRouterPathIsAMetricAttributeOnlyWhenConfigured(t *testing.T) {
	md := metricsOf(t, []string{routerOK1}, func(s *Settings) { s.RouterMetricsURLPath = true })
	dp := metric(t, md, "http.server.request.duration").Histogram().DataPoints().At(0)
	path, ok := dp.Attributes().Get("url.path")
	require.True(t, ok)
	assert.Equal(t, "/checkout", path.Str(), "the query is never part of it")
}

func TestDeltaPointsCoverTheRequestFromItsEarliestLine(t *testing.T) {
	md := metricsOf(t, []string{routerOK2, routerOK1})
	dp := metric(t, md, "http.server.request.duration").Histogram().DataPoints().At(0)
	assert.Equal(t, time.Date(2024, 3, 15, 12, 10, 39, 100000000, time.UTC), dp.StartTimestamp().AsTime())
	assert.Equal(t, receivedAt, dp.Timestamp().AsTime())
}

func TestDynoManagerLinesBecomeLaunchExitAndRestartCounters(t *testing.T) {
	md := metricsOf(t, []string{
		"<45>1 2024-03-15T12:00:00.000000+00:00 host heroku web.1 - State changed from starting to up\n",
		"<45>1 2024-03-15T12:00:01.000000+00:00 host heroku web.2 - State changed from starting to up\n",
		"<45>1 2024-03-15T12:00:02.000000+00:00 host heroku worker.1 - State changed from up to crashed\n",
		"<45>1 2024-03-15T12:00:03.000000+00:00 host heroku run.2660 - State changed from up to complete\n",
		"<45>1 2024-03-15T12:00:04.000000+00:00 host heroku web.1 - Process exited with status 143\n",
		"<45>1 2024-03-15T12:00:05.000000+00:00 host heroku worker.1 - Process exited with status 137\n",
		"<45>1 2024-03-15T12:00:06.000000+00:00 host heroku web.1 - Cycling\n",
		"<45>1 2024-03-15T12:00:07.000000+00:00 host heroku web.2 - Restarting\n",
		"<45>1 2024-03-15T12:00:08.000000+00:00 host heroku web.1 - Error R14 (Memory quota exceeded)\n",
		"<45>1 2024-03-15T12:00:09.000000+00:00 host heroku web.1 - Error R10 (Boot timeout) -> Web process failed to bind to $PORT within 60 seconds of launch\n",
	})
	assert.Equal(t, map[string]float64{
		"heroku.dyno.launch=successful,heroku.dyno.state.from=starting,heroku.dyno.state.to=up,heroku.dyno.type=web": 2,
		"heroku.dyno.launch=crashed,heroku.dyno.state.from=up,heroku.dyno.state.to=crashed,heroku.dyno.type=worker":  1,
		"heroku.dyno.launch=completed,heroku.dyno.state.from=up,heroku.dyno.state.to=complete,heroku.dyno.type=run":  1,
	}, sumPoints(t, metric(t, md, "heroku.dyno.state_changes")))
	assert.Equal(t, map[string]float64{
		"heroku.dyno.type=web,process.exit.code=143":    1,
		"heroku.dyno.type=worker,process.exit.code=137": 1,
	}, sumPoints(t, metric(t, md, "heroku.dyno.exits")))
	assert.Equal(t, map[string]float64{
		"heroku.dyno.restart.reason=cycle,heroku.dyno.type=web":   1,
		"heroku.dyno.restart.reason=restart,heroku.dyno.type=web": 1,
	}, sumPoints(t, metric(t, md, "heroku.dyno.restarts")))
	assert.Equal(t, map[string]float64{
		"heroku.component=dyno,heroku.error.code=R14": 1,
		"heroku.component=dyno,heroku.error.code=R10": 1,
	}, sumPoints(t, metric(t, md, "heroku.errors")))
}

var apiLines = []string{
	"<134>1 2024-03-15T11:00:02.000000+00:00 host app api - Build started by user dev@example.com\n",
	"<134>1 2024-03-15T11:01:02.000000+00:00 host app api - Build succeeded\n",
	"<134>1 2024-03-15T11:02:02.000000+00:00 host app api - Build failed -- check your build output: https://dashboard.heroku.com/apps/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9/activity/builds/9f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0\n",
	"<134>1 2024-03-15T11:03:02.000000+00:00 host app api - Deploy 1a2b3c4 by user dev@example.com\n",
	"<134>1 2024-03-15T11:03:02.000000+00:00 host app api - Release v42 created by user dev@example.com\n",
	"<134>1 2024-03-15T11:04:02.000000+00:00 host app api - Scaled to web@2:Standard-1X worker@1:Standard-2X by user ops@example.com\n",
}

func TestAPIEventsBecomeBuildReleaseDeployAndScaleCounters(t *testing.T) {
	md := metricsOf(t, apiLines)
	assert.Equal(t, map[string]float64{
		"heroku.build.outcome=started":   1,
		"heroku.build.outcome=succeeded": 1,
		"heroku.build.outcome=failed":    1,
	}, sumPoints(t, metric(t, md, "heroku.builds")), "users are opt-in")
	assert.Equal(t, map[string]float64{"": 1}, sumPoints(t, metric(t, md, "heroku.releases")))
	assert.Equal(t, map[string]float64{"": 1}, sumPoints(t, metric(t, md, "heroku.deploys")))
	assert.Equal(t, map[string]float64{"": 1}, sumPoints(t, metric(t, md, "heroku.scale.operations")))
	assert.Equal(t, map[string]float64{
		"heroku.dyno.size=Standard-1X,heroku.dyno.type=web":    2,
		"heroku.dyno.size=Standard-2X,heroku.dyno.type=worker": 1,
	}, sumPoints(t, metric(t, md, "heroku.dyno.formation")))
}

func TestUserIsAMetricAttributeWhenEnabled(t *testing.T) {
	md := metricsOf(t, apiLines, func(s *Settings) {
		cfg := metadata.DefaultMetricsBuilderConfig()
		cfg.Metrics.HerokuReleases.EnabledAttributes = append(cfg.Metrics.HerokuReleases.EnabledAttributes, metadata.HerokuReleasesMetricAttributeKeyUserEmail)
		s.Builder = metadata.NewMetricsBuilder(cfg, receivertest.NewNopSettings(metadata.Type))
	})
	assert.Equal(t, map[string]float64{"user.email=dev@example.com": 1}, sumPoints(t, metric(t, md, "heroku.releases")))
}

func TestL10LinesCountTheMessagesHerokuLost(t *testing.T) {
	md := metricsOf(t, []string{
		"<172>1 2015-05-09T20:21:24+00:00 host heroku logplex - Error L10 (output buffer overflow): 21 messages dropped since 2015-05-09T20:19:03+00:00.",
		"<172>1 2015-05-09T20:21:25+00:00 host app log-shuttle - Error L12: 222 messages dropped since 2015-05-09T20:19:03+00:00.\n",
	})
	assert.Equal(t, map[string]float64{"heroku.error.code=L10": 21, "heroku.error.code=L12": 222},
		sumPoints(t, metric(t, md, "heroku.logplex.messages.dropped")))
}

const postgresLine = "<134>1 2022-03-24T23:59:31+00:00 host app heroku-postgres - source=HEROKU_POSTGRESQL_GREEN addon=postgresql-opaque-12345 sample#current_transaction=11618849366 sample#db_size=147391814791bytes sample#tables=67 sample#active-connections=41 sample#waiting-connections=0 sample#index-cache-hit-rate=0.99625 sample#table-cache-hit-rate=0.99686 sample#load-avg-1m=0.3575 sample#load-avg-5m=0.3275 sample#load-avg-15m=0.2475 sample#read-iops=302.48 sample#write-iops=351.78 sample#tmp-disk-used=542765056 sample#tmp-disk-available=72436027392 sample#memory-total=31328356kB sample#memory-free=242328kB sample#memory-cached=29518708kB sample#memory-postgres=367856kB sample#wal-percentage-used=0.07767112123673295\n"

func TestPostgresAndRedisSamplesBecomeCuratedGauges(t *testing.T) {
	md := metricsOf(t, []string{
		postgresLine,
		"<134>1 2024-03-15T12:10:39.000000+00:00 host app heroku-redis - source=REDIS addon=redis-metric-98068 sample#active-connections=404 sample#load-avg-1m=0.115 sample#memory-redis=343477584bytes sample#hit-rate=0.7 sample#evicted-keys=0",
	})
	pgAttrs := "heroku.addon.attachment=HEROKU_POSTGRESQL_GREEN,heroku.addon.name=postgresql-opaque-12345"
	size := metric(t, md, "heroku.postgres.db.size")
	assert.Equal(t, "By", size.Unit())
	assert.Equal(t, map[string]float64{pgAttrs: 147391814791}, sumPoints(t, size))
	assert.Equal(t, map[string]float64{pgAttrs: 31328356 * 1024}, sumPoints(t, metric(t, md, "heroku.postgres.memory.total")), "kB is KiB")
	assert.Equal(t, map[string]float64{pgAttrs: 542765056}, sumPoints(t, metric(t, md, "heroku.postgres.tmp_disk.used")), "bytes without a suffix")
	assert.Equal(t, map[string]float64{"disk.io.direction=read," + pgAttrs: 302.48, "disk.io.direction=write," + pgAttrs: 351.78},
		sumPoints(t, metric(t, md, "heroku.postgres.disk.iops")))
	wal := sumPoints(t, metric(t, md, "heroku.postgres.wal.utilization"))
	assert.InDelta(t, 0.0777, wal[pgAttrs], 1e-4, "a 0-1 fraction despite the name")
	txn := metric(t, md, "heroku.postgres.transaction.id")
	assert.Equal(t, pmetric.MetricTypeSum, txn.Type())
	assert.True(t, txn.Sum().IsMonotonic())

	redisAttrs := "heroku.addon.attachment=REDIS,heroku.addon.name=redis-metric-98068"
	assert.Equal(t, map[string]float64{redisAttrs: 404}, sumPoints(t, metric(t, md, "heroku.redis.connection.count")))
	assert.Equal(t, map[string]float64{redisAttrs: 343477584}, sumPoints(t, metric(t, md, "heroku.redis.memory.used")))
	assert.Equal(t, map[string]float64{redisAttrs: 0.7}, sumPoints(t, metric(t, md, "heroku.redis.keyspace.hit_ratio")))
}

func TestL2metMeasurementsBecomeSumsGaugesAndHistograms(t *testing.T) {
	lines := []string{
		"<190>1 2024-03-15T12:10:39.000000+00:00 host app web.1 - source=checkout count#orders.placed measure#db.latency=12.5ms sample#queue.depth=42\n",
		"<190>1 2024-03-15T12:10:40.000000+00:00 host app web.2 - source=checkout count#orders.placed=2 measure#db.latency=20ms unique#user=u123\n",
		"<190>1 2024-03-15T12:10:41.000000+00:00 host app worker.1 - Processing job 42 for account 7\n",
	}
	md := metricsOf(t, lines)
	orders := metric(t, md, "orders.placed")
	require.Equal(t, pmetric.MetricTypeSum, orders.Type())
	assert.Equal(t, pmetric.AggregationTemporalityDelta, orders.Sum().AggregationTemporality())
	assert.Equal(t, map[string]float64{"heroku.source=checkout": 3}, sumPoints(t, orders), "a bare count# is 1")

	depth := metric(t, md, "queue.depth")
	assert.Equal(t, pmetric.MetricTypeGauge, depth.Type())
	assert.Equal(t, map[string]float64{"heroku.source=checkout": 42}, sumPoints(t, depth))

	lat := metric(t, md, "db.latency")
	require.Equal(t, pmetric.MetricTypeHistogram, lat.Type(), "explicit buckets by default: Prometheus stores them without native histograms")
	assert.Equal(t, "s", lat.Unit(), "ms are converted to seconds")
	hp := lat.Histogram().DataPoints().At(0)
	assert.Equal(t, uint64(2), hp.Count())
	assert.InDelta(t, 0.0325, hp.Sum(), 1e-9)
	assert.Equal(t, serviceBounds, hp.ExplicitBounds().AsRaw(), "seconds get the request-time buckets")
	i := slices.Index(serviceBounds, 0.025)
	assert.Equal(t, uint64(2), hp.BucketCounts().At(i), "12.5 ms and 20 ms both fall in (10 ms, 25 ms]")

	md = metricsOf(t, lines[:2], func(s *Settings) { s.ExponentialMeasures = true })
	lat = metric(t, md, "db.latency")
	require.Equal(t, pmetric.MetricTypeExponentialHistogram, lat.Type())
	dp := lat.ExponentialHistogram().DataPoints().At(0)
	assert.Equal(t, uint64(2), dp.Count())
	assert.InDelta(t, 0.0325, dp.Sum(), 1e-9)
	var inBuckets uint64
	for _, c := range dp.Positive().BucketCounts().AsRaw() {
		inBuckets += c
	}
	assert.Equal(t, uint64(2), inBuckets)

	_, hasUnique := findMetric(md, "user")
	assert.False(t, hasUnique, "unique# needs cross-request state; it stays in the log record")
}

func TestExponentialBucketIndexBracketsTheValue(t *testing.T) {
	base := 1.0905077326652577 // 2^(1/8)
	for _, v := range []float64{1e-6, 0.0125, 0.02, 1, 1.5, 42, 3e9} {
		i := expIndex(v)
		lower := math.Pow(base, float64(i))
		upper := math.Pow(base, float64(i+1))
		assert.True(t, v > lower*(1-1e-12) && v <= upper*(1+1e-12), "%g not in (%g, %g]", v, lower, upper)
	}
}

func TestDynosReportingCountsDistinctDynosAcrossRequests(t *testing.T) {
	tracker := NewDynoTracker(time.Minute, 10, 100)
	withTracker := func(s *Settings) { s.Dynos = tracker }
	mem := func(dyno string) string {
		return "<134>1 2024-03-15T12:10:39.000000+00:00 host heroku " + dyno + " - source=" + dyno + " dyno=heroku.2808254.d97d0ea7-cf3d-411b-b453-d2943a50b456 sample#memory_rss=21.22MB\n"
	}
	metricsOf(t, []string{mem("web.1"), mem("worker.1")}, withTracker)
	md := metricsOf(t, []string{mem("web.2"), mem("web.1")}, withTracker)
	assert.Equal(t, map[string]float64{"heroku.dyno.type=web": 2, "heroku.dyno.type=worker": 1},
		sumPoints(t, metric(t, md, "heroku.dynos.reporting")))
}

func TestDynoTrackerForgetsSilentDynosAndStaysBounded(t *testing.T) {
	d := NewDynoTracker(time.Minute, 2, 3)
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	counts := map[string]int64{}
	d.Observe("app", []string{"web.1", "web.2", "web.3", "web.4"}, t0, t0, counts)
	assert.Equal(t, int64(3), counts["web"], "at most maxDynos per app")

	counts = map[string]int64{}
	d.Observe("app", []string{"web.1"}, t0.Add(2*time.Minute), t0.Add(2*time.Minute), counts)
	assert.Equal(t, map[string]int64{"web": 1}, counts, "dynos silent for longer than the window are gone")

	d.Observe("other", []string{"web.1"}, t0, t0, map[string]int64{})
	counts = map[string]int64{}
	d.Observe("third", []string{"web.1"}, t0.Add(5*time.Minute), t0.Add(5*time.Minute), counts)
	assert.Equal(t, int64(1), counts["web"], "an idle app is evicted to make room")
	assert.LessOrEqual(t, len(d.apps), 2)
}

func TestDisabledHistogramsAreNotEmitted(t *testing.T) {
	md := metricsOf(t, []string{routerOK1}, func(s *Settings) {
		s.DisabledHistograms = map[string]bool{"heroku.router.connect.duration": true}
	})
	_, hasConnect := findMetric(md, "heroku.router.connect.duration")
	assert.False(t, hasConnect)
	_, hasService := findMetric(md, "http.server.request.duration")
	assert.True(t, hasService, "the others stay")
}

func TestHistogramsAreDeclaredOnce(t *testing.T) {
	var names []string
	for _, h := range Histograms() {
		names = append(names, h.Name)
		assert.NotEmpty(t, h.Unit)
		assert.NotEmpty(t, h.Description)
		assert.True(t, slices.IsSorted(h.Bounds), h.Name)
		assert.Contains(t, h.Attributes, attrHTTPMethod)
	}
	assert.True(t, slices.IsSorted(names))
	md := metricsOf(t, []string{routerOK1})
	for _, name := range names {
		m := metric(t, md, name)
		assert.Equal(t, pmetric.MetricTypeHistogram, m.Type(), "the code emits what is declared")
	}
}

func TestRouterBucketsFitWhatTheyMeasure(t *testing.T) {
	md := metricsOf(t, []string{routerOK1})
	connect := metric(t, md, "heroku.router.connect.duration").Histogram().DataPoints().At(0)
	// connect=1ms lands in (0.5 ms, 1 ms]: sub-millisecond resolution where connect times live.
	assert.Equal(t, uint64(1), connect.BucketCounts().At(slices.Index(connect.ExplicitBounds().AsRaw(), 0.001)))
	service := metric(t, md, "http.server.request.duration").Histogram().DataPoints().At(0)
	assert.Equal(t, 0.001, service.ExplicitBounds().At(0), "service buckets start at 1 ms")
	assert.Equal(t, 30.0, service.ExplicitBounds().At(service.ExplicitBounds().Len()-1), "and reach H12's 30 s")
}
