package e2e

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/plog/plogotlp"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/pmetric/pmetricotlp"
)

// The sink itself, without the collector binary.

func testLogs(n int) plog.Logs {
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	rl.Resource().Attributes().PutStr("service.name", "acme-web")
	sl := rl.ScopeLogs().AppendEmpty()
	for i := range n {
		sl.LogRecords().AppendEmpty().Body().SetStr("line " + string(rune('a'+i)))
	}
	return ld
}

func post(t *testing.T, url, contentType, encoding string, body []byte) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if encoding != "" {
		req.Header.Set("Content-Encoding", encoding)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func gz(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestOTLPSinkDecodes(t *testing.T) {
	s := NewOTLPSink(t)
	pb, err := plogotlp.NewExportRequestFromLogs(testLogs(3)).MarshalProto()
	if err != nil {
		t.Fatal(err)
	}
	if code := post(t, s.URL()+"/v1/logs", "application/x-protobuf", "gzip", gz(t, pb)); code != 200 {
		t.Fatalf("gzip protobuf logs: %d", code)
	}
	if code := post(t, s.URL()+"/v1/logs", "application/x-protobuf", "", pb); code != 200 {
		t.Fatalf("plain protobuf logs: %d", code)
	}
	md := pmetric.NewMetrics()
	m := md.ResourceMetrics().AppendEmpty().ScopeMetrics().AppendEmpty().Metrics().AppendEmpty()
	m.SetName("heroku.dyno.memory.rss")
	dp := m.SetEmptyGauge().DataPoints().AppendEmpty()
	dp.SetIntValue(251920384)
	dp.Attributes().PutStr("heroku.dyno.name", "web.1")
	js, err := pmetricotlp.NewExportRequestFromMetrics(md).MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if code := post(t, s.URL()+"/v1/metrics", "application/json", "gzip", gz(t, js)); code != 200 {
		t.Fatalf("gzip JSON metrics: %d", code)
	}
	if code := post(t, s.URL()+"/v1/logs", "application/x-protobuf", "gzip", []byte("not gzip")); code != 400 {
		t.Fatalf("broken gzip: %d, want 400", code)
	}

	if n := s.LogRecordCount(); n != 6 {
		t.Errorf("LogRecordCount = %d, want 6", n)
	}
	recs := s.Records()
	if len(recs) != 6 || recs[0].Body().Str() != "line a" || Str(recs[0].Resource.Attributes(), "service.name") != "acme-web" {
		t.Errorf("records: %d, first %q", len(recs), recs[0].Body().Str())
	}
	pts := s.Points("heroku.dyno.memory.rss", map[string]string{"heroku.dyno.name": "web.1"})
	if len(pts) != 1 || pts[0].IntValue() != 251920384 {
		t.Errorf("points %v", pts)
	}
	if st := s.Stats(); st.Requests != 4 || st.Malformed != 1 || st.Refused != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestOTLPSinkFailureInjection(t *testing.T) {
	s := NewOTLPSink(t)
	pb, _ := plogotlp.NewExportRequestFromLogs(testLogs(1)).MarshalProto()
	s.SetFailureRate(1)
	for range 5 {
		if code := post(t, s.URL()+"/v1/logs", "application/x-protobuf", "", pb); code != http.StatusServiceUnavailable {
			t.Fatalf("status %d, want 503", code)
		}
	}
	s.SetFailureRate(0)
	counted := 0
	s.OnLogs(func(ld plog.Logs) { counted += ld.LogRecordCount() }, false)
	go func() {
		time.Sleep(50 * time.Millisecond)
		resp, err := http.Post(s.URL()+"/v1/logs", "application/x-protobuf", bytes.NewReader(pb))
		if err == nil {
			resp.Body.Close()
		}
	}()
	if !s.WaitFor(5*time.Second, func() bool { return s.LogRecordCount() == 1 }) {
		t.Fatal("WaitFor did not see the record")
	}
	if st := s.Stats(); st.Refused != 5 || st.Requests != 6 {
		t.Errorf("stats %+v", st)
	}
	if len(s.Logs()) != 0 || counted != 1 {
		t.Errorf("kept %d requests, counted %d; want 0 kept and 1 counted", len(s.Logs()), counted)
	}
}
