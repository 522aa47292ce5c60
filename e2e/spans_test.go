package e2e

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/pdata/ptrace/ptraceotlp"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/logplextest"
)

// TestRouterSpansThroughTheCollector puts the receiver in a traces pipeline
// of the built collector and checks the SERVER span of the sample drain's
// router line at an OTLP/HTTP server.
func TestRouterSpansThroughTheCollector(t *testing.T) {
	var mu sync.Mutex
	var spans []ptrace.Span
	traces := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body io.Reader = r.Body
		if r.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			body = zr
		}
		b, err := io.ReadAll(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		req := ptraceotlp.NewExportRequest()
		if err := req.UnmarshalProto(b); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		rss := req.Traces().ResourceSpans()
		for i := 0; i < rss.Len(); i++ {
			sss := rss.At(i).ScopeSpans()
			for j := 0; j < sss.Len(); j++ {
				for k := 0; k < sss.At(j).Spans().Len(); k++ {
					sp := ptrace.NewSpan()
					sss.At(j).Spans().At(k).CopyTo(sp)
					spans = append(spans, sp)
				}
			}
		}
		mu.Unlock()
		w.Header().Set("Content-Type", "application/x-protobuf")
		out, _ := ptraceotlp.NewExportResponse().MarshalProto()
		_, _ = w.Write(out)
	}))
	t.Cleanup(traces.Close)

	_, _, ep := pipeline(t, func(c Config) {
		c.Set(map[string]any{"endpoint": traces.URL}, "exporters", "otlp_http/traces")
		c.Set(map[string]any{
			"receivers":  []string{"herokudrain"},
			"processors": []string{"herokuapp", "batch"},
			"exporters":  []string{"otlp_http/traces"},
		}, "service", "pipelines", "traces")
	})
	body, err := os.ReadFile(sampleFile)
	if err != nil {
		t.Fatal(err)
	}
	checkDrainResponse(t, postDrain(t, ep.DrainURL(""), logplextest.NewFrameID(), body))

	var found *ptrace.Span
	Eventually(20*time.Second, func() bool {
		mu.Lock()
		defer mu.Unlock()
		for i := range spans {
			if spans[i].TraceID().String() == "8601b5556a834c12826997c8e32cdb22" {
				found = &spans[i]
				return true
			}
		}
		return false
	})
	if found == nil {
		t.Fatal("no span with the trace id of the sample router line's request_id")
	}
	if found.Kind() != ptrace.SpanKindServer || found.Name() != "GET" {
		t.Errorf("span kind %v name %q, want SERVER GET", found.Kind(), found.Name())
	}
	if d := found.EndTimestamp().AsTime().Sub(found.StartTimestamp().AsTime()); d != 19*time.Millisecond {
		t.Errorf("duration %v, want connect+service = 19ms", d)
	}
	if v, ok := found.Attributes().Get("http.response.status_code"); !ok || v.Int() != 200 {
		t.Errorf("http.response.status_code = %v", v.AsRaw())
	}
	mu.Lock()
	n := 0
	for _, sp := range spans {
		if sp.Status().Code() == ptrace.StatusCodeError {
			n++
		}
	}
	mu.Unlock()
	if n == 0 {
		t.Error("the sample drain's H12 router line gave no ERROR span")
	}
}
