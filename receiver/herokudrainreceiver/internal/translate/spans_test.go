package translate

import (
	"crypto/sha256"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/logplex"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/metadata"
)

// spansOf runs drain lines through a traces-only Batch.
func spansOf(t *testing.T, lines ...string) ptrace.Traces {
	t.Helper()
	b := NewBatch(Settings{Traces: true, ScopeVersion: "v1", ResourceAttributes: metadata.DefaultResourceAttributesConfig()},
		Resource{DrainToken: "d.fc6b856b-3332-4546-93de-7d0ee272c3bd", AppName: "acme-web"},
		pcommon.NewTimestampFromTime(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)), 0)
	var body strings.Builder
	for _, l := range lines {
		body.WriteString(octetCount(l + "\n"))
	}
	s := logplex.NewScanner(strings.NewReader(body.String()), logplex.Options{})
	for s.Scan() {
		b.Add(s.Frame())
	}
	if b.Logs().ResourceLogs().Len() != 0 {
		t.Fatal("a traces-only batch built log records")
	}
	return b.Traces()
}

func TestRouterLinesBecomeServerSpans(t *testing.T) {
	ok := router(`at=info method=GET path="/users?id=1" host=acme.example.com request_id=8601b555-6a83-4c12-8269-97c8e32cdb22 fwd="204.204.204.204" dyno=web.1 connect=1ms service=18ms status=200 bytes=13 protocol=https`)
	h12 := router(`at=error code=H12 desc="Request timeout" method=POST path="/slow" host=acme.example.com request_id=not-a-uuid-abc dyno=web.2 connect=0ms service=30000ms status=503 bytes=0 protocol=https`)
	fiveXX := router(`at=info method=get path="/" host=acme.example.com request_id=01234567-89ab-cdef-0123-456789abcdef dyno=web.1 connect=2ms service=5ms status=502 bytes=0 protocol=http`)
	notFound := router(`at=info method=GET path="/missing" host=acme.example.com request_id=11111111-2222-3333-4444-555555555555 dyno=web.1 connect=1ms service=1ms status=404 bytes=0 protocol=https`)
	appLine := "<190>1 2024-03-15T09:26:53.589793+00:00 host app web.1 - Started GET /users"
	td := spansOf(t, ok, h12, fiveXX, notFound, appLine)

	rs := td.ResourceSpans()
	if rs.Len() != 1 {
		t.Fatalf("%d resources", rs.Len())
	}
	res := rs.At(0).Resource().Attributes().AsRaw()
	if res["service.name"] != "acme-web" || res["heroku.drain.token"] == nil {
		t.Errorf("span resource %v lacks the request's resource", res)
	}
	scope := rs.At(0).ScopeSpans().At(0)
	if scope.Scope().Name() != metadata.ScopeName || scope.Scope().Version() != "v1" {
		t.Errorf("scope %s %s", scope.Scope().Name(), scope.Scope().Version())
	}
	spans := scope.Spans()
	if spans.Len() != 4 {
		t.Fatalf("%d spans, want one per router line (4)", spans.Len())
	}
	end := time.Date(2024, 3, 15, 9, 26, 53, 589793000, time.UTC)
	tests := []struct {
		name     string
		span     ptrace.Span
		spanName string
		dur      time.Duration
		status   ptrace.StatusCode
		message  string
		traceID  string
		attrs    map[string]any
	}{
		{name: "a request: SERVER span timed by connect+service, HTTP attributes, trace id = the request UUID",
			span: spans.At(0), spanName: "GET", dur: 19 * time.Millisecond, status: ptrace.StatusCodeUnset,
			traceID: "8601b5556a834c12826997c8e32cdb22",
			attrs: map[string]any{attrHTTPMethod: "GET", attrURLPath: "/users", attrURLQuery: "id=1", attrHTTPStatus: int64(200),
				attrServerAddress: "acme.example.com", attrClientAddress: "204.204.204.204", AttrRouterRequestID: "8601b555-6a83-4c12-8269-97c8e32cdb22",
				AttrDynoName: "web.1", attrURLScheme: "https"}},
		{name: "an H12: error status with the code, trace id hashed from a non-UUID request id",
			span: spans.At(1), spanName: "POST", dur: 30 * time.Second, status: ptrace.StatusCodeError, message: "H12 Request timeout",
			attrs: map[string]any{AttrErrorCode: "H12", attrErrorType: "H12", attrHTTPStatus: int64(503)}},
		{name: "a 5xx without a code: error status and error.type = the status",
			span: spans.At(2), spanName: "GET", dur: 7 * time.Millisecond, status: ptrace.StatusCodeError,
			traceID: "0123456789abcdef0123456789abcdef",
			attrs:   map[string]any{attrErrorType: "502", attrHTTPMethodOrig: "get"}},
		{name: "a 4xx is the client's: status unset",
			span: spans.At(3), spanName: "GET", dur: 2 * time.Millisecond, status: ptrace.StatusCodeUnset},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sp := tc.span
			if sp.Kind() != ptrace.SpanKindServer || sp.Name() != tc.spanName {
				t.Errorf("kind %v name %q, want SERVER %q", sp.Kind(), sp.Name(), tc.spanName)
			}
			if got := sp.EndTimestamp().AsTime(); !got.Equal(end) {
				t.Errorf("end %v, want the line's timestamp %v", got, end)
			}
			if got := sp.EndTimestamp().AsTime().Sub(sp.StartTimestamp().AsTime()); got != tc.dur {
				t.Errorf("duration %v, want %v", got, tc.dur)
			}
			if sp.Status().Code() != tc.status || sp.Status().Message() != tc.message {
				t.Errorf("status %v %q, want %v %q", sp.Status().Code(), sp.Status().Message(), tc.status, tc.message)
			}
			if tc.traceID != "" && sp.TraceID().String() != tc.traceID {
				t.Errorf("trace id %s, want %s", sp.TraceID(), tc.traceID)
			}
			if sp.TraceID().IsEmpty() || sp.SpanID().IsEmpty() {
				t.Error("empty ids")
			}
			got := sp.Attributes().AsRaw()
			for k, v := range tc.attrs {
				if got[k] != v {
					t.Errorf("%s = %v, want %v", k, got[k], v)
				}
			}
		})
	}
	// The non-UUID request id hashes: first 16 bytes of SHA-256.
	sum := sha256.Sum256([]byte("not-a-uuid-abc"))
	if got := spans.At(1).TraceID(); string(got[:]) != string(sum[:16]) {
		t.Errorf("hashed trace id %x, want %x", got, sum[:16])
	}
}

func TestRouterSpanIDsAreDeterministic(t *testing.T) {
	a1, s1 := RouterSpanIDs([]byte("8601b555-6a83-4c12-8269-97c8e32cdb22"))
	a2, s2 := RouterSpanIDs([]byte("8601b555-6a83-4c12-8269-97c8e32cdb22"))
	b, sb := RouterSpanIDs([]byte("8601b555-6a83-4c12-8269-97c8e32cdb23"))
	if a1 != a2 || s1 != s2 {
		t.Error("the same request id gave different ids")
	}
	if a1 == b || s1 == sb {
		t.Error("different request ids gave the same ids")
	}
	// Not quite a UUID: hashed, not decoded.
	for _, id := range []string{"8601b555x6a83-4c12-8269-97c8e32cdb22", "8601b555-6a83-4c12-8269-97c8e32cdbzz", "short"} {
		tid, _ := RouterSpanIDs([]byte(id))
		sum := sha256.Sum256([]byte(id))
		if string(tid[:]) != string(sum[:16]) {
			t.Errorf("%q: trace id %s not hashed", id, tid)
		}
	}
}

func TestRouterSpanWithoutRequestIDOrTimestamp(t *testing.T) {
	// Legacy form: no request_id; the message is the key. A NILVALUE
	// timestamp: the span ends at the batch's observed time.
	legacy := "<158>1 - host heroku router - Error H12 (Request timeout) -> GET acme.herokuapp.com/ dyno=web.1 queue= wait= service=30000ms status=503 bytes=0"
	td := spansOf(t, legacy, legacy)
	spans := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans()
	if spans.Len() != 2 {
		t.Fatalf("%d spans", spans.Len())
	}
	if spans.At(0).TraceID() != spans.At(1).TraceID() {
		t.Error("the same line gave different trace ids")
	}
	if got := spans.At(0).EndTimestamp().AsTime(); !got.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("end %v, want the observed time", got)
	}
	if spans.At(0).Status().Code() != ptrace.StatusCodeError {
		t.Error("H12 should be an error")
	}
}

func TestTracesEmptyWhenOff(t *testing.T) {
	if newTestBatch().Traces().ResourceSpans().Len() != 0 {
		t.Error("a batch without Settings.Traces built spans")
	}
}
