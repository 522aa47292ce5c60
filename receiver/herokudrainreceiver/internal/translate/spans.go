package translate // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/heroku"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/logplex"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/metadata"
)

// Router lines as SERVER spans (Settings.Traces). Each router line is one
// request the router served: the span ends at the line's timestamp (the
// router logs a request when it is done) and starts connect + service
// milliseconds earlier. Its attributes are the router line's record
// attributes (HTTP semantic conventions plus heroku.router.*).
//
// The trace id comes from request_id so that an app that logs its request id
// (X-Request-Id) can be joined to the span:
//   - a request id that is a UUID (the router's own ids are) is the trace id,
//     its 16 bytes in order: 8601b555-6a83-… -> 8601b5556a83…;
//   - any other request id: the first 16 bytes of SHA-256(request_id).
//
// The span id is bytes 16..23 of SHA-256(request_id). A line without a
// request id (the legacy error form) uses its whole message instead, so the
// ids stay deterministic and a retried batch yields the same span.

// initTraces prepares the span slice of the batch.
func (b *Batch) initTraces() {
	b.traces = ptrace.NewTraces()
	rs := b.traces.ResourceSpans().AppendEmpty()
	b.res.CopyTo(rs.Resource())
	ss := rs.ScopeSpans().AppendEmpty()
	ss.Scope().SetName(metadata.ScopeName)
	ss.Scope().SetVersion(b.set.ScopeVersion)
	b.spans = ss.Spans()
}

// Traces returns the router spans built so far (empty when Settings.Traces
// is false).
func (b *Batch) Traces() ptrace.Traces {
	if !b.set.Traces {
		return ptrace.NewTraces()
	}
	return b.traces
}

// addSpan turns one parsed router line into a SERVER span.
func (b *Batch) addSpan(f *logplex.Frame, l *heroku.Line) {
	r := &l.Router
	key := r.RequestID
	if len(key) == 0 {
		key = l.Msg
	}
	traceID, spanID := RouterSpanIDs(key)
	span := b.spans.AppendEmpty()
	span.SetTraceID(traceID)
	span.SetSpanID(spanID)
	span.SetKind(ptrace.SpanKindServer)

	end := b.observed
	if f.TimestampValid {
		end = pcommon.NewTimestampFromTime(f.Timestamp)
	}
	d := time.Duration(0)
	if r.HasConnect {
		d += time.Duration(r.Connect) * time.Millisecond
	}
	if r.HasService {
		d += time.Duration(r.Service) * time.Millisecond
	}
	span.SetStartTimestamp(end - pcommon.Timestamp(d))
	span.SetEndTimestamp(end)

	s := lineStrings{msg: l.Msg}
	attrs := span.Attributes()
	attrs.EnsureCapacity(24)
	putRouter(attrs, &s, r)
	// HTTP server span name: the method (a route is not known here).
	name := "HTTP"
	if m, ok := attrs.Get(attrHTTPMethod); ok && m.Str() != "_OTHER" {
		name = m.Str()
	}
	span.SetName(name)
	// Server spans: 5xx and router errors (H codes) are errors; 4xx are the
	// client's and leave the status unset.
	switch {
	case r.Code != 0:
		span.Status().SetCode(ptrace.StatusCodeError)
		if v, ok := attrs.Get(AttrErrorDescription); ok {
			span.Status().SetMessage(r.Code.String() + " " + v.Str())
		} else {
			span.Status().SetMessage(r.Code.String())
		}
	case r.HasStatus && r.Status >= 500:
		span.Status().SetCode(ptrace.StatusCodeError)
		if _, ok := attrs.Get(attrErrorType); !ok {
			attrs.PutStr(attrErrorType, strconv.Itoa(r.Status))
		}
	}
}

// RouterSpanIDs derives the trace and span id of a router request id (see
// the comment at the top of this file).
func RouterSpanIDs(requestID []byte) (pcommon.TraceID, pcommon.SpanID) {
	sum := sha256.Sum256(requestID)
	var tid pcommon.TraceID
	if !uuidBytes(requestID, tid[:]) {
		copy(tid[:], sum[:16])
	}
	var sid pcommon.SpanID
	copy(sid[:], sum[16:24])
	return tid, sid
}

// uuidBytes decodes a UUID in its 8-4-4-4-12 form into dst (16 bytes).
func uuidBytes(s []byte, dst []byte) bool {
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return false
	}
	var hexDigits [32]byte
	n := 0
	for i, c := range s {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			continue
		}
		hexDigits[n] = c
		n++
	}
	_, err := hex.Decode(dst, hexDigits[:])
	return err == nil
}
