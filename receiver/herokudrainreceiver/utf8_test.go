package herokudrainreceiver

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/receiver/receivertest"
	logspb "go.opentelemetry.io/proto/otlp/logs/v1"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"
	"google.golang.org/protobuf/proto"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/metadata"
)

// strictRoundTrip marshals what the receiver emitted with pdata and reads
// it back with Go's protobuf library, which refuses any string field that
// is not valid UTF-8, as strict OTLP receivers do.
func strictRoundTrip(t testing.TB, lds []plog.Logs, mds []pmetric.Metrics) {
	t.Helper()
	for _, ld := range lds {
		b, err := (&plog.ProtoMarshaler{}).MarshalLogs(ld)
		require.NoError(t, err)
		require.NoError(t, proto.Unmarshal(b, &logspb.LogsData{}), "a strict OTLP receiver refuses these logs")
	}
	for _, md := range mds {
		b, err := (&pmetric.ProtoMarshaler{}).MarshalMetrics(md)
		require.NoError(t, err)
		require.NoError(t, proto.Unmarshal(b, &metricspb.MetricsData{}), "a strict OTLP receiver refuses these metrics")
	}
}

// invalidStrings lists every string value in m that is not valid UTF-8
// (keys included), recursing into maps and slices.
func invalidStrings(m pcommon.Map) []string {
	var bad []string
	var walk func(v pcommon.Value)
	walk = func(v pcommon.Value) {
		switch v.Type() {
		case pcommon.ValueTypeStr:
			if !utf8.ValidString(v.Str()) {
				bad = append(bad, v.Str())
			}
		case pcommon.ValueTypeMap:
			bad = append(bad, invalidStrings(v.Map())...)
		case pcommon.ValueTypeSlice:
			for i := 0; i < v.Slice().Len(); i++ {
				walk(v.Slice().At(i))
			}
		}
	}
	m.Range(func(k string, v pcommon.Value) bool {
		if !utf8.ValidString(k) {
			bad = append(bad, k)
		}
		walk(v)
		return true
	})
	return bad
}

// serveDirect runs one request through a receiver's handler without a
// network, then flushes the aggregated metrics, for tests and fuzzing.
func serveDirect(t testing.TB, req *http.Request) (int, *consumertest.LogsSink, *consumertest.MetricsSink) {
	t.Helper()
	r, logs, metrics := directReceiver(t)
	rec := httptest.NewRecorder()
	r.handle(rec, req)
	r.flush(context.Background()) // metrics are aggregated, then flushed
	return rec.Code, logs, metrics
}

// directReceiver is a receiver with sinks on both pipelines, not started.
func directReceiver(t testing.TB) (*drainReceiver, *consumertest.LogsSink, *consumertest.MetricsSink) {
	t.Helper()
	cfg := NewFactory().CreateDefaultConfig().(*Config)
	r, err := newDrainReceiver(cfg, receivertest.NewNopSettings(metadata.Type))
	require.NoError(t, err)
	logs, metrics := new(consumertest.LogsSink), new(consumertest.MetricsSink)
	r.setLogs(logs)
	r.setMetrics(metrics)
	return r, logs, metrics
}

func TestEveryWireStringEntersPdataAsValidUTF8(t *testing.T) {
	const bad = "\xe9\xff\x00"
	tests := []struct {
		name   string
		line   string
		flag   bool // the record is flagged logplex.invalid_utf8
		metric bool // a metric carries the replaced string
	}{
		{name: "router path", line: `<158>1 2012-10-11T03:47:20+00:00 host heroku router - at=info method=GET path="/caf` + bad + `" host=a.herokuapp.com request_id=8601b555-6a83-4c12-8269-97c8e32cdb22 fwd="1.2.3.4" dyno=web.1 connect=1ms service=18ms status=200 bytes=13 protocol=https` + "\n", flag: true},
		{name: "APP-NAME", line: "<190>1 2012-11-30T06:45:29+00:00 host ap" + bad + " web.3 - hello\n", flag: true},
		{name: "PROCID", line: "<190>1 2012-11-30T06:45:29+00:00 host app web" + bad + " - hello\n", flag: true},
		{name: "MSGID", line: "<190>1 2012-11-30T06:45:29+00:00 host app web.1 m" + bad + " hello\n", flag: true},
		{name: "structured data", line: `<190>1 2012-11-30T06:45:29+00:00 host app web.1 - [origin ip="v` + bad + `"] hello` + "\n", flag: true},
		{name: "l2met metric name", line: "<190>1 2012-11-30T06:45:29+00:00 host app web.1 - count#caf" + bad + "=1 measure#t" + bad + "=5ms sample#s" + bad + "=3\n", flag: true, metric: true},
		{name: "dyno name on a runtime-metrics line", line: "<45>1 2015-05-09T20:21:25.608433+00:00 host heroku web.1 - source=we" + bad + ".1 dyno=heroku.2808254.d" + bad + " sample#load_avg_1m=2.46\n", flag: true, metric: true},
		{name: "NUL bytes are valid UTF-8 and kept", line: "<190>1 2012-11-30T06:45:29+00:00 host app web.1 - a\x00b\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := frame(tt.line) + frame(seedLine)
			req := httptest.NewRequest(http.MethodPost, "/logs?app="+url.QueryEscape("web"+bad), strings.NewReader(body))
			req.Header.Set("Logplex-Drain-Token", "d."+bad)
			req.Header.Set("User-Agent", "log-shuttle/0.21")
			code, logs, metrics := serveDirect(t, req)
			require.Equal(t, http.StatusOK, code)
			strictRoundTrip(t, logs.AllLogs(), metrics.AllMetrics())
			recs := allRecords(logs.AllLogs())
			require.Len(t, recs, 2, "the good frame is kept")
			_, flagged := recs[0].Attributes().Get("logplex.invalid_utf8")
			assert.Equal(t, tt.flag, flagged, "record flag")
			_, flagged = recs[1].Attributes().Get("logplex.invalid_utf8")
			assert.False(t, flagged, "the good frame is not flagged")
			assert.Empty(t, invalidStrings(recs[0].Attributes()))
			res := logs.AllLogs()[0].ResourceLogs().At(0).Resource().Attributes()
			assert.Empty(t, invalidStrings(res))
			assert.Equal(t, "web\uFFFD\x00", attr(t, res, "service.name"), "query values are replaced (a run of bad bytes by one U+FFFD), not dropped")
			if tt.metric {
				require.NotEmpty(t, metrics.AllMetrics(), "the line's metrics are emitted")
				assert.Contains(t, metricsDump(metrics.AllMetrics()), "\uFFFD")
			}
		})
	}
}

// metricsDump is every metric name and string attribute value, joined.
func metricsDump(mds []pmetric.Metrics) string {
	var b strings.Builder
	for _, md := range mds {
		rms := md.ResourceMetrics()
		for i := 0; i < rms.Len(); i++ {
			sms := rms.At(i).ScopeMetrics()
			for j := 0; j < sms.Len(); j++ {
				ms := sms.At(j).Metrics()
				for k := 0; k < ms.Len(); k++ {
					b.WriteString(ms.At(k).Name() + " ")
				}
			}
		}
		raw, _ := (&pmetric.JSONMarshaler{}).MarshalMetrics(md)
		b.Write(raw)
	}
	return b.String()
}

func FuzzEveryEmittedStringIsValidUTF8(f *testing.F) {
	for _, s := range []string{
		frame(routerLine) + frame(memoryLine) + frame(loadLine),
		frame("<190>1 2012-11-30T06:45:29+00:00 host ap\xff web.\xfe1 m\xfd [a\xe9 b=\"\xc3\"] count#x\xff=1 measure#y\xfe=2ms\n"),
		frame("<158>1 2012-10-11T03:47:20+00:00 host heroku router - at=error code=H12 desc=\"Re\xffquest\" method=G\xffT path=\"/\xe9\" host=h\xff dyno=web.\xff connect=1ms service=2ms status=503 bytes=0\n"),
		frame("<134>1 2022-03-24T23:59:31+00:00 host app heroku-postgres - source=HEROKU_\xff addon=pg-\xfe sample#x\xff=1kB sample#db_size=5bytes\n"),
	} {
		f.Add([]byte(s), "d.\xff", "app\xfe")
	}
	f.Fuzz(func(t *testing.T, body []byte, token, app string) {
		req := httptest.NewRequest(http.MethodPost, "/logs?app="+url.QueryEscape(app), strings.NewReader(string(body)))
		req.Header.Set("Logplex-Drain-Token", token)
		req.Header.Set("User-Agent", "log-shuttle/0.21")
		code, logs, metrics := serveDirect(t, req)
		if code != http.StatusOK && code != http.StatusNoContent {
			t.Fatalf("status %d for content: content never earns anything but 2xx", code)
		}
		strictRoundTrip(t, logs.AllLogs(), metrics.AllMetrics())
		for _, ld := range logs.AllLogs() {
			if bad := invalidStrings(ld.ResourceLogs().At(0).Resource().Attributes()); len(bad) > 0 {
				t.Fatalf("invalid resource strings %q", bad)
			}
		}
		for _, lr := range allRecords(logs.AllLogs()) {
			if bad := invalidStrings(lr.Attributes()); len(bad) > 0 {
				t.Fatalf("invalid attribute strings %q", bad)
			}
			if lr.Body().Type() == pcommon.ValueTypeStr && !utf8.ValidString(lr.Body().Str()) {
				t.Fatalf("invalid body string %q", lr.Body().Str())
			}
		}
	})
}
