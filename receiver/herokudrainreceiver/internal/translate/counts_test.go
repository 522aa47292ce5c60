package translate

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/metadata"
)

func TestRequestIDsRememberEachIDWithinTheWindow(t *testing.T) {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	r := NewRequestIDs(time.Minute, 3)
	assert.True(t, r.First("a", t0))
	assert.False(t, r.First("a", t0.Add(30*time.Second)), "seen within the window")
	assert.True(t, r.First("a", t0.Add(2*time.Minute)), "forgotten after the window")

	for i := range 5 {
		r.First("id"+strconv.Itoa(i), t0.Add(2*time.Minute))
	}
	assert.LessOrEqual(t, len(r.seen), 3, "bounded")
	assert.True(t, r.First("id0", t0.Add(2*time.Minute)), "the oldest went first")
	assert.False(t, r.First("id4", t0.Add(2*time.Minute)), "the newest stays")
}

func TestURLPathsKeepTheFirstOnes(t *testing.T) {
	u := NewURLPaths(2)
	for _, tt := range []struct {
		path, want string
		over       bool
	}{
		{"/a", "/a", false}, {"/b", "/b", false}, {"/c", OtherPath, true}, {"/a", "/a", false},
	} {
		got, over := u.Get([]byte(tt.path))
		assert.Equal(t, tt.want, got, tt.path)
		assert.Equal(t, tt.over, over, tt.path)
	}
}

func TestPRISeverityNames(t *testing.T) {
	for pri, want := range map[int]string{-1: "", 192: "", 8: "fatal", 9: "error", 10: "error", 11: "error", 12: "warn", 13: "info", 14: "info", 15: "debug", 190: "info"} {
		assert.Equal(t, want, priSeverity(pri), "PRI %d", pri)
	}
}

func TestMeasureBucketsFollowTheUnit(t *testing.T) {
	assert.Equal(t, serviceBounds, measureBounds("s"))
	assert.Equal(t, bodySizeBounds, measureBounds("By"))
	assert.Equal(t, genericBounds, measureBounds(""))
	md := metricsOf(t, []string{"<190>1 2024-03-15T12:10:39.000000+00:00 host app web.1 - measure#payload=2048bytes measure#rows=12\n"})
	assert.Equal(t, bodySizeBounds, metric(t, md, "payload").Histogram().DataPoints().At(0).ExplicitBounds().AsRaw())
	rows := metric(t, md, "rows")
	assert.Empty(t, rows.Unit(), "a bare number has no unit (no _ratio suffix in Prometheus)")
	assert.Equal(t, genericBounds, rows.Histogram().DataPoints().At(0).ExplicitBounds().AsRaw())
}

func TestUnknownAddonKeysBecomeGauges(t *testing.T) {
	md := metricsOf(t, []string{"<134>1 2024-03-15T12:10:39.000000+00:00 host app heroku-redis - source=REDIS addon=redis-metric-98068 sample#new-thing=7 sample#active-connections=4\n"})
	m := metric(t, md, "heroku.redis.new_thing")
	require.Equal(t, pmetric.MetricTypeGauge, m.Type())
	assert.Equal(t, map[string]float64{"heroku.addon.attachment=REDIS,heroku.addon.name=redis-metric-98068": 7}, sumPoints(t, m))
	assert.Equal(t, map[string]float64{"heroku.addon.attachment=REDIS,heroku.addon.name=redis-metric-98068": 4},
		sumPoints(t, metric(t, md, "heroku.redis.connection.count")), "known keys go through the declared metric")
}

func TestUnreadableBytesAreCountedAsRecords(t *testing.T) {
	mbc := metadata.DefaultMetricsBuilderConfig()
	b := NewBatch(Settings{Metrics: true, Builder: metadata.NewMetricsBuilder(mbc, receivertest.NewNopSettings(metadata.Type)),
		ResourceAttributes: mbc.ResourceAttributes}, Resource{}, pcommon.Timestamp(1), 0)
	b.AddUnreadable([]byte("garbage"), "cut off")
	got := sumPoints(t, metric(t, b.Metrics(), "heroku.log.records"))
	assert.Equal(t, map[string]float64{"heroku.component=,heroku.dyno.type=,syslog.appname=other": 1}, got)
}
