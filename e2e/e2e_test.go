package e2e

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/logplextest"
)

// sampleFile is the repository's sample drain body.
var sampleFile = filepath.Join("..", "testdata", "drains", "sample.logplex")

// pipeline starts a sink and a collector running PipelineConfig (after
// tweak, when given) and returns them with the endpoints.
func pipeline(t *testing.T, tweak func(Config)) (*OTLPSink, *Collector, Endpoints) {
	t.Helper()
	Binary(t) // skip early, before anything is started
	sink := NewOTLPSink(t)
	ep := Endpoints{Receiver: FreeAddr(t), Health: FreeAddr(t), OTLP: sink.URL()}
	cfg := PipelineConfig(ep)
	if tweak != nil {
		tweak(cfg)
	}
	return sink, StartCollector(t, cfg, ep), ep
}

// postDrain sends body the way Logplex does and returns the response.
func postDrain(t *testing.T, url, frameID string, body []byte) *http.Response {
	t.Helper()
	frames, err := logplextest.SplitFrames(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/logplex-1")
	req.Header.Set("Logplex-Msg-Count", strconv.Itoa(len(frames)))
	req.Header.Set("Logplex-Frame-Id", frameID)
	req.Header.Set("Logplex-Drain-Token", SampleToken)
	req.Header.Set("User-Agent", logplextest.DefaultUserAgent)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func checkDrainResponse(t *testing.T, resp *http.Response) {
	t.Helper()
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNoContent {
		t.Errorf("drain POST answered %s, want 200 or 204", resp.Status)
	}
	// Logplex skips a response body by Content-Length and cannot read a
	// chunked one, so it must be there and 0.
	if got := resp.Header.Get("Content-Length"); got != "0" && resp.StatusCode != http.StatusNoContent {
		t.Errorf("Content-Length = %q, want \"0\"", got)
	}
	if resp.ContentLength > 0 || len(resp.TransferEncoding) > 0 {
		t.Errorf("response has a body (ContentLength %d, TransferEncoding %v)", resp.ContentLength, resp.TransferEncoding)
	}
}

// TestEndToEnd posts the sample drain through herokudrain → herokuapp →
// batch → otlp_http and checks the logs and metrics that reach the OTLP
// server.
func TestEndToEnd(t *testing.T) {
	sink, _, ep := pipeline(t, nil)
	body, err := os.ReadFile(sampleFile)
	if err != nil {
		t.Fatal(err)
	}
	frames, err := logplextest.SplitFrames(body)
	if err != nil {
		t.Fatal(err)
	}

	posted := time.Now()
	resp := postDrain(t, ep.DrainURL("app=acme"), logplextest.NewFrameID(), body)
	checkDrainResponse(t, resp)

	// One log record per frame, and no more after a quiet period.
	if !sink.WaitFor(30*time.Second, func() bool { return sink.LogRecordCount() >= len(frames) }) {
		t.Fatalf("%d log records arrived, want %d", sink.LogRecordCount(), len(frames))
	}
	time.Sleep(500 * time.Millisecond)
	if n := sink.LogRecordCount(); n != len(frames) {
		t.Errorf("%d log records, want exactly %d (one per frame)", n, len(frames))
	}

	recs := sink.Records()
	for i, r := range recs {
		res := r.Resource.Attributes()
		if got := Str(res, "service.name"); got != SampleApp {
			t.Errorf("record %d: service.name = %q, want %q (set by herokuapp from the drain token, over ?app=acme)", i, got, SampleApp)
			break
		}
		if got := Str(res, "cloud.provider"); got != "heroku" {
			t.Errorf("record %d: cloud.provider = %q, want heroku", i, got)
			break
		}
		if got := Str(res, "heroku.drain.token"); got != SampleToken {
			t.Errorf("record %d: heroku.drain.token = %q, want %q", i, got, SampleToken)
			break
		}
	}

	const routerLine = `at=info method=GET path="/" host=acme-web-1a2b3c4d5e6f.herokuapp.com request_id=8601b555-6a83-4c12-8269-97c8e32cdb22 fwd="204.204.204.204" dyno=web.1 connect=1ms service=18ms status=200 bytes=13 protocol=https`
	router := findRecord(recs, func(r Record) bool { return r.Body().AsString() == routerLine })
	if router == nil {
		t.Fatalf("no log record with the router line as its body; bodies:\n%s", bodies(recs))
	}
	a := router.Attributes()
	if Str(a, "syslog.appname") != "heroku" || Str(a, "syslog.procid") != "router" {
		t.Errorf("router record: syslog.appname=%q syslog.procid=%q, want heroku/router", Str(a, "syslog.appname"), Str(a, "syslog.procid"))
	}
	if want := time.Date(2025, 3, 14, 9, 27, 4, 611793000, time.UTC); !router.Timestamp().AsTime().Equal(want) {
		t.Errorf("router record timestamp %v, want %v", router.Timestamp().AsTime(), want)
	}

	// Frames without a trailing LF keep their text and do not swallow the
	// next frame: the L10 that opens the batch and the Redis metrics line.
	const l10 = "Error L10 (output buffer overflow): 3 messages dropped since 2025-03-14T09:26:41+00:00."
	if findRecord(recs, func(r Record) bool { return r.Body().AsString() == l10 }) == nil {
		t.Errorf("no record with the L10 line %q", l10)
	}
	if findRecord(recs, func(r Record) bool {
		b := r.Body().AsString()
		return Str(r.Attributes(), "syslog.procid") == "heroku-redis" && strings.HasSuffix(b, "sample#evicted-keys=0")
	}) == nil {
		t.Error("the heroku-redis line (no trailing LF) is missing or ran into the next frame")
	}
	for _, r := range recs {
		if strings.HasSuffix(r.Body().AsString(), "\n") {
			t.Errorf("body keeps the frame's trailing LF: %q", r.Body().AsString())
			break
		}
	}

	// log-runtime-metrics become gauges, per dyno, in bytes.
	web1 := map[string]string{"heroku.dyno.name": "web.1"}
	if !sink.WaitFor(10*time.Second, func() bool {
		return len(sink.Points("heroku.dyno.memory.rss", web1)) > 0 && len(sink.Points("heroku.dyno.load_average.1m", web1)) > 0
	}) {
		t.Fatalf("runtime metrics for web.1 did not arrive; %d data points in all", sink.DataPointCount())
	}
	checkPoint(t, sink, "heroku.dyno.memory.rss", web1, "By", 240.25*(1<<20)) // sample#memory_rss=240.25MB, MB = 2^20 bytes
	checkPoint(t, sink, "heroku.dyno.memory.total", web1, "By", 245.5*(1<<20))
	checkPoint(t, sink, "heroku.dyno.memory.quota", web1, "By", 512*(1<<20))
	checkPoint(t, sink, "heroku.dyno.load_average.1m", web1, "", 2.46)
	checkPoint(t, sink, "heroku.dyno.load_average.15m", web1, "", 0.99)
	for _, p := range sink.Points("heroku.dyno.memory.rss", web1) {
		if got := Str(p.Resource.Attributes(), "service.name"); got != SampleApp {
			t.Errorf("metric resource service.name = %q, want %q", got, SampleApp)
		}
		if got := Str(p.Attributes(), "heroku.dyno.id"); got != "" {
			t.Errorf("heroku.dyno.id = %q on a metric; it is opt-in (a new id per restart)", got)
		}
		if id := Str(p.Resource.Attributes(), "service.instance.id"); !uuidRE.MatchString(id) {
			t.Errorf("metric resource service.instance.id = %q, want the collector's own instance id (a UUID)", id)
		}
		if p.Timestamp().AsTime().Before(posted) {
			t.Errorf("memory point timestamp %v: want the flush time, after the post at %v", p.Timestamp().AsTime(), posted)
		}
	}
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// TestRetriedFrameDeliveredOnce replays a batch with the same Frame-Id, as
// Logplex does when our answer was lost or late: the retry is acknowledged
// and nothing is emitted twice.
func TestRetriedFrameDeliveredOnce(t *testing.T) {
	sink, _, ep := pipeline(t, nil)
	body, err := os.ReadFile(sampleFile)
	if err != nil {
		t.Fatal(err)
	}
	frames, _ := logplextest.SplitFrames(body)
	id := logplextest.NewFrameID()
	checkDrainResponse(t, postDrain(t, ep.DrainURL(""), id, body))
	if !sink.WaitFor(30*time.Second, func() bool { return sink.LogRecordCount() >= len(frames) }) {
		t.Fatalf("%d log records arrived, want %d", sink.LogRecordCount(), len(frames))
	}
	counted := func() bool { return latestTotal(sink, "heroku.log.records") == float64(len(frames)) }
	if !sink.WaitFor(10*time.Second, counted) {
		t.Fatalf("heroku.log.records = %v, want %d", latestTotal(sink, "heroku.log.records"), len(frames))
	}
	checkDrainResponse(t, postDrain(t, ep.DrainURL(""), id, body))
	time.Sleep(1 * time.Second) // longer than the batch timeout and several metric flushes
	if n := sink.LogRecordCount(); n != len(frames) {
		t.Errorf("after a retry with the same Frame-Id: %d log records, want %d", n, len(frames))
	}
	if !counted() {
		t.Errorf("after a retry with the same Frame-Id: heroku.log.records = %v, want %d", latestTotal(sink, "heroku.log.records"), len(frames))
	}
	// A new Frame-Id is new data.
	checkDrainResponse(t, postDrain(t, ep.DrainURL(""), logplextest.NewFrameID(), body))
	if !sink.WaitFor(30*time.Second, func() bool { return sink.LogRecordCount() >= 2*len(frames) }) {
		t.Errorf("a new Frame-Id was not delivered: %d log records", sink.LogRecordCount())
	}
}

func findRecord(recs []Record, match func(Record) bool) *Record {
	for i := range recs {
		if match(recs[i]) {
			return &recs[i]
		}
	}
	return nil
}

func bodies(recs []Record) string {
	var b strings.Builder
	for _, r := range recs {
		b.WriteString(r.Body().AsString())
		b.WriteByte('\n')
	}
	return b.String()
}

// checkPoint asserts the newest point of name with attrs has value want
// (and unit, when unit is not empty).
func checkPoint(t *testing.T, sink *OTLPSink, name string, attrs map[string]string, unit string, want float64) {
	t.Helper()
	pts := sink.Points(name, attrs)
	if len(pts) == 0 {
		t.Errorf("no %s point with %v", name, attrs)
		return
	}
	p := pts[len(pts)-1]
	var got float64
	switch p.ValueType() {
	case pmetric.NumberDataPointValueTypeInt:
		got = float64(p.IntValue())
	default:
		got = p.DoubleValue()
	}
	if diff := got - want; diff > 1e-9 || diff < -1e-9 {
		t.Errorf("%s %v = %v, want %v", name, attrs, got, want)
	}
	if unit != "" && p.Metric.Unit() != unit {
		t.Errorf("%s unit = %q, want %q", name, p.Metric.Unit(), unit)
	}
}
