package herokudrainreceiver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/receiver/receivertest"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/metadata"
)

const testToken = "d.fc6b856b-3332-4546-93de-7d0ee272c3bd"

// frame octet-counts one syslog message the way Logplex does: the length is
// in bytes and includes the trailing LF.
func frame(msg string) string { return fmt.Sprintf("%d %s", len(msg), msg) }

// Lines taken from the reference (heroku-formats.md §1, §2, §3.3).
var (
	seedLine    = "<40>1 2012-11-30T06:45:29+00:00 host app web.3 - State changed from starting to up\n"
	loadLine    = "<45>1 2015-05-09T20:21:25.608433+00:00 host heroku web.1 - source=web.1 dyno=heroku.2808254.d97d0ea7-cf3d-411b-b453-d2943a50b456 sample#load_avg_1m=2.46 sample#load_avg_5m=1.06 sample#load_avg_15m=0.99\n"
	memoryLine  = "<45>1 2015-05-09T20:21:25.608433+00:00 host heroku web.1 - source=web.1 dyno=heroku.2808254.d97d0ea7-cf3d-411b-b453-d2943a50b456 sample#memory_total=21.00MB sample#memory_rss=21.22MB sample#memory_cache=0.00MB sample#memory_swap=0.00MB sample#memory_pgpgin=348836pages sample#memory_pgpgout=343403pages\n"
	routerLine  = `<158>1 2012-10-11T03:47:20+00:00 host heroku router - at=info method=GET path="/" host=example-app-1234567890ab.herokuapp.com request_id=8601b555-6a83-4c12-8269-97c8e32cdb22 fwd="204.204.204.204" dyno=web.1 connect=1ms service=18ms status=200 bytes=13 protocol=https` + "\n"
	l10NoLFLine = "<172>1 2015-05-09T20:21:24+00:00 host heroku logplex - Error L10 (output buffer overflow): 1 messages dropped since 2015-05-09T20:19:03+00:00."
)

type testReceiver struct {
	url     string
	logs    *consumertest.LogsSink
	metrics *consumertest.MetricsSink
	tel     *componenttest.Telemetry
	rcv     *drainReceiver
}

// flush emits the aggregated metrics now, as the flush loop does every
// flush_interval.
func (tr testReceiver) flush(t *testing.T) {
	t.Helper()
	tr.rcv.flush(context.Background())
}

type pipelines struct {
	logs    consumer.Logs
	metrics consumer.Metrics
}

// start runs a receiver on localhost:0 through the factory, wired to the
// given consumers (nil for an absent pipeline), and returns its URL.
func start(t *testing.T, mod func(*Config), p pipelines) testReceiver {
	t.Helper()
	f := NewFactory()
	cfg := f.CreateDefaultConfig().(*Config)
	cfg.NetAddr.Endpoint = "localhost:0"
	if mod != nil {
		mod(cfg)
	}
	require.NoError(t, cfg.Validate())
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	set := receivertest.NewNopSettings(metadata.Type)
	set.TelemetrySettings = tel.NewTelemetrySettings()

	host := componenttest.NewNopHost()
	var rcv *drainReceiver
	if p.logs != nil {
		l, err := f.CreateLogs(context.Background(), set, cfg, p.logs)
		require.NoError(t, err)
		require.NoError(t, l.Start(context.Background(), host))
		t.Cleanup(func() { require.NoError(t, l.Shutdown(context.Background())) })
		rcv = l.(interface{ Unwrap() *drainReceiver }).Unwrap()
	}
	if p.metrics != nil {
		m, err := f.CreateMetrics(context.Background(), set, cfg, p.metrics)
		require.NoError(t, err)
		require.NoError(t, m.Start(context.Background(), host))
		t.Cleanup(func() { require.NoError(t, m.Shutdown(context.Background())) })
		rcv = m.(interface{ Unwrap() *drainReceiver }).Unwrap()
	}
	require.NotNil(t, rcv, "test needs at least one pipeline")
	tr := testReceiver{url: "http://" + rcv.addr.String() + cfg.Path, tel: tel, rcv: rcv}
	tr.logs, _ = p.logs.(*consumertest.LogsSink)
	tr.metrics, _ = p.metrics.(*consumertest.MetricsSink)
	return tr
}

// post sends body with Logplex's headers and returns the response.
func post(t *testing.T, url, body string, hdr map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/logplex-1")
	req.Header.Set("User-Agent", "Logplex/v123")
	req.Header.Set("Logplex-Drain-Token", testToken)
	req.Header.Set("Logplex-Frame-Id", "09C557EAFCFB6CF2740EE62F62971098")
	for k, v := range hdr {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Empty(t, b, "Logplex needs empty answers")
	return resp
}

func allRecords(ls []plog.Logs) []plog.LogRecord {
	var out []plog.LogRecord
	for _, l := range ls {
		for i := 0; i < l.ResourceLogs().Len(); i++ {
			sls := l.ResourceLogs().At(i).ScopeLogs()
			for j := 0; j < sls.Len(); j++ {
				for k := 0; k < sls.At(j).LogRecords().Len(); k++ {
					out = append(out, sls.At(j).LogRecords().At(k))
				}
			}
		}
	}
	return out
}

func attr(t *testing.T, m pcommon.Map, key string) string {
	t.Helper()
	v, ok := m.Get(key)
	require.True(t, ok, "attribute %q missing in %v", key, m.AsRaw())
	return v.AsString()
}

func TestEveryFrameBecomesOneLogRecordWithHeaderFields(t *testing.T) {
	sink := new(consumertest.LogsSink)
	r := start(t, nil, pipelines{logs: sink})
	body := frame(seedLine) + frame(routerLine) + frame(l10NoLFLine)
	resp := post(t, r.url+"?app=acme-web", body, map[string]string{"Logplex-Msg-Count": "3"})
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "0", resp.Header.Get("Content-Length"))

	require.Len(t, sink.AllLogs(), 1)
	res := sink.AllLogs()[0].ResourceLogs().At(0).Resource().Attributes()
	assert.Equal(t, "heroku", attr(t, res, "cloud.provider"))
	assert.Equal(t, testToken, attr(t, res, "heroku.drain.token"))
	assert.Equal(t, "acme-web", attr(t, res, "service.name"))
	_, hasHost := res.Get("host.name")
	assert.False(t, hasHost, "the literal hostname `host` must not become host.name")

	recs := allRecords(sink.AllLogs())
	require.Len(t, recs, 3)

	seed := recs[0]
	assert.Equal(t, "State changed from starting to up", seed.Body().Str(), "body is the message without its trailing LF")
	assert.Equal(t, time.Date(2012, 11, 30, 6, 45, 29, 0, time.UTC), seed.Timestamp().AsTime())
	assert.NotZero(t, seed.ObservedTimestamp())
	assert.Equal(t, "app", attr(t, seed.Attributes(), "syslog.appname"))
	assert.Equal(t, "web.3", attr(t, seed.Attributes(), "syslog.procid"))
	_, hasMsgID := seed.Attributes().Get("syslog.msgid")
	assert.False(t, hasMsgID, "msgid `-` is not an attribute")
	assert.Equal(t, "5", attr(t, seed.Attributes(), "syslog.facility"))

	l10 := recs[2]
	assert.Equal(t, strings.TrimPrefix(l10NoLFLine, "<172>1 2015-05-09T20:21:24+00:00 host heroku logplex - "), l10.Body().Str(),
		"a frame without a trailing LF keeps its last byte")
	assert.Equal(t, "logplex", attr(t, l10.Attributes(), "syslog.procid"))
}

func TestSeverityFollowsTheSyslogMappingOfPRI(t *testing.T) {
	sink := new(consumertest.LogsSink)
	r := start(t, nil, pipelines{logs: sink})
	var body strings.Builder
	for sev := 0; sev < 8; sev++ {
		body.WriteString(frame(fmt.Sprintf("<%d>1 2024-01-01T00:00:00Z host app worker.1 - custom line %d\n", 8*23+sev, sev)))
	}
	post(t, r.url, body.String(), nil)
	recs := allRecords(sink.AllLogs())
	require.Len(t, recs, 8)
	want := []plog.SeverityNumber{
		plog.SeverityNumberFatal, plog.SeverityNumberError3, plog.SeverityNumberError2, plog.SeverityNumberError,
		plog.SeverityNumberWarn, plog.SeverityNumberInfo2, plog.SeverityNumberInfo, plog.SeverityNumberDebug,
	}
	for i, rec := range recs {
		assert.Equal(t, want[i], rec.SeverityNumber(), "severity %d", i)
		assert.Equal(t, "23", attr(t, rec.Attributes(), "syslog.facility"))
	}
}

func TestRuntimeMetricsBecomeGaugesPerDyno(t *testing.T) {
	sink := new(consumertest.MetricsSink)
	r := start(t, nil, pipelines{metrics: sink})
	before := time.Now()
	resp := post(t, r.url+"?app=acme-web", frame(loadLine)+frame(memoryLine)+frame(seedLine), nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, 0, sink.DataPointCount(), "metrics wait for the flush")
	r.flush(t)

	got := gaugesByName(sink.AllMetrics())
	rss := got["heroku.dyno.memory.rss"]
	require.Len(t, rss, 1)
	// 21.22 MB, where Heroku's MB is 2^20 bytes.
	mib := 1024.0 * 1024
	assert.Equal(t, int64(math.Round(21.22*mib)), rss[0].IntValue())
	assert.Equal(t, "web.1", attr(t, rss[0].Attributes(), "heroku.dyno.name"))
	_, hasID := rss[0].Attributes().Get("heroku.dyno.id")
	assert.False(t, hasID, "heroku.dyno.id changes on every restart: opt-in on metrics")
	assert.False(t, rss[0].Timestamp().AsTime().Before(before), "stamped at the flush, not with the 2015 line's time")
	assert.Equal(t, int64(348836), got["heroku.dyno.memory.pgpgin"][0].IntValue())
	assert.InDelta(t, 2.46, got["heroku.dyno.load_average.1m"][0].DoubleValue(), 1e-9)
	assert.InDelta(t, 0.99, got["heroku.dyno.load_average.15m"][0].DoubleValue(), 1e-9)
	for _, name := range []string{"heroku.dyno.memory.total", "heroku.dyno.memory.cache", "heroku.dyno.memory.swap", "heroku.dyno.memory.pgpgout", "heroku.dyno.load_average.5m"} {
		assert.Len(t, got[name], 1, name)
	}
	res := sink.AllMetrics()[0].ResourceMetrics().At(0).Resource().Attributes()
	assert.Equal(t, "acme-web", attr(t, res, "service.name"))
	assert.Equal(t, testToken, attr(t, res, "heroku.drain.token"))
	assert.NotEmpty(t, attr(t, res, "service.instance.id"))
}

// total adds up the int values of points.
func total(dps []pmetric.NumberDataPoint) int64 {
	var n int64
	for _, dp := range dps {
		n += dp.IntValue()
	}
	return n
}

func gaugesByName(ms []pmetric.Metrics) map[string][]pmetric.NumberDataPoint {
	out := map[string][]pmetric.NumberDataPoint{}
	for _, md := range ms {
		for i := 0; i < md.ResourceMetrics().Len(); i++ {
			sms := md.ResourceMetrics().At(i).ScopeMetrics()
			for j := 0; j < sms.Len(); j++ {
				for k := 0; k < sms.At(j).Metrics().Len(); k++ {
					m := sms.At(j).Metrics().At(k)
					var dps pmetric.NumberDataPointSlice
					switch m.Type() {
					case pmetric.MetricTypeGauge:
						dps = m.Gauge().DataPoints()
					case pmetric.MetricTypeSum:
						dps = m.Sum().DataPoints()
					default:
						continue
					}
					for d := 0; d < dps.Len(); d++ {
						out[m.Name()] = append(out[m.Name()], dps.At(d))
					}
				}
			}
		}
	}
	return out
}

func TestOneServerFeedsBothPipelines(t *testing.T) {
	logs, metrics := new(consumertest.LogsSink), new(consumertest.MetricsSink)
	r := start(t, nil, pipelines{logs: logs, metrics: metrics})
	post(t, r.url, frame(memoryLine)+frame(seedLine), nil)
	r.flush(t)
	assert.Equal(t, 2, logs.LogRecordCount())
	got := gaugesByName(metrics.AllMetrics())
	assert.Len(t, got["heroku.dyno.memory.rss"], 1)
	assert.Len(t, got["heroku.dynos.reporting"], 1)
	assert.Equal(t, int64(2), total(got["heroku.log.records"]), "both records are counted")
}

func TestStatusCodesFollowLogplexRetryRules(t *testing.T) {
	body := frame(seedLine)
	tests := []struct {
		name   string
		logs   consumer.Logs
		method string
		body   string
		want   int
	}{
		{name: "accepted batch is 200", logs: consumertest.NewNop(), body: body, want: http.StatusOK},
		{name: "empty body is 204", logs: consumertest.NewNop(), body: "", want: http.StatusNoContent},
		{name: "retryable pipeline error is 503 so Logplex retries", logs: consumertest.NewErr(errors.New("queue full")), body: body, want: http.StatusServiceUnavailable},
		{name: "permanent pipeline error is 400", logs: consumertest.NewErr(consumererror.NewPermanent(errors.New("bad data"))), body: body, want: http.StatusBadRequest},
		{name: "garbage body is still 200: frames are flagged, not refused", logs: consumertest.NewNop(), body: "this is not logplex\n", want: http.StatusOK},
		{name: "GET is 405", logs: consumertest.NewNop(), method: http.MethodGet, want: http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := start(t, func(c *Config) { c.Dedupe.Enabled = false }, pipelines{logs: tt.logs})
			if tt.method == http.MethodGet {
				resp, err := http.Get(r.url)
				require.NoError(t, err)
				_ = resp.Body.Close()
				assert.Equal(t, tt.want, resp.StatusCode)
				return
			}
			resp := post(t, r.url, tt.body, nil)
			assert.Equal(t, tt.want, resp.StatusCode)
			if tt.want == http.StatusServiceUnavailable {
				assert.NotEmpty(t, resp.Header.Get("Retry-After"))
			}
		})
	}
}

func TestBadFramesAreFlaggedAndGoodOnesKept(t *testing.T) {
	sink := new(consumertest.LogsSink)
	r := start(t, nil, pipelines{logs: sink})
	badHeader := "<999>1 not a header at all\n"
	body := frame(seedLine) + frame(badHeader) + frame(routerLine) + "12 <13>1 truncat"
	resp := post(t, r.url, body, nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	recs := allRecords(sink.AllLogs())
	var good, flagged []plog.LogRecord
	for _, rec := range recs {
		if _, ok := rec.Attributes().Get("logplex.parse_error"); ok {
			flagged = append(flagged, rec)
		} else {
			good = append(good, rec)
		}
	}
	require.Len(t, good, 2)
	assert.Equal(t, "State changed from starting to up", good[0].Body().Str())
	assert.True(t, strings.HasPrefix(good[1].Body().Str(), "at=info method=GET"))
	require.GreaterOrEqual(t, len(flagged), 2)
	assert.Contains(t, flagged[0].Body().AsString(), "<999>1 not a header")

	malformed, err := r.tel.GetMetric("otelcol_receiver_herokudrain_frames_malformed")
	require.NoError(t, err)
	assert.Equal(t, int64(len(flagged)), metricTotal(t, malformed))
}

// metricTotal adds up every point of an int64 counter from self-telemetry.
func metricTotal(t *testing.T, m metricdata.Metrics) int64 {
	t.Helper()
	sum, ok := m.Data.(metricdata.Sum[int64])
	require.True(t, ok, "%s is not an int64 sum", m.Name)
	var total int64
	for _, dp := range sum.DataPoints {
		total += dp.Value
	}
	return total
}

func TestCountMismatchIsAdvisoryOnly(t *testing.T) {
	sink := new(consumertest.LogsSink)
	r := start(t, nil, pipelines{logs: sink})
	resp := post(t, r.url, frame(seedLine), map[string]string{"Logplex-Msg-Count": "5"})
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, 1, sink.LogRecordCount())
	m, err := r.tel.GetMetric("otelcol_receiver_herokudrain_msg_count_mismatches")
	require.NoError(t, err)
	assert.Equal(t, int64(1), metricTotal(t, m))
}

func TestBodyOverTheLimitKeepsTheFramesBeforeIt(t *testing.T) {
	sink := new(consumertest.LogsSink)
	r := start(t, func(c *Config) { c.MaxRequestBodySize = int64(len(frame(seedLine)) + 10) }, pipelines{logs: sink})
	resp := post(t, r.url, frame(seedLine)+frame(routerLine), nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	recs := allRecords(sink.AllLogs())
	require.NotEmpty(t, recs)
	assert.Equal(t, "State changed from starting to up", recs[0].Body().Str())
	last := recs[len(recs)-1]
	assert.Contains(t, attr(t, last.Attributes(), "logplex.parse_error"), "max_request_body_size")
}

func TestInvalidUTF8BecomesABytesBodyAndIsFlagged(t *testing.T) {
	sink := new(consumertest.LogsSink)
	r := start(t, nil, pipelines{logs: sink})
	line := "<190>1 2024-01-01T00:00:00Z host app web.1 - caf\xe9\n"
	post(t, r.url, frame(line), nil)
	recs := allRecords(sink.AllLogs())
	require.Len(t, recs, 1)
	assert.Equal(t, pcommon.ValueTypeBytes, recs[0].Body().Type())
	assert.True(t, bytes.Equal([]byte("caf\xe9"), recs[0].Body().Bytes().AsRaw()))
	v, _ := recs[0].Attributes().Get("logplex.invalid_utf8")
	assert.True(t, v.Bool())
}
