package translate

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/logplex"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/metadata"
)

// newTestBatch builds a logs-only Batch as the receiver does.
func newTestBatch() *Batch {
	return NewBatch(Settings{Logs: true, ResourceAttributes: metadata.DefaultResourceAttributesConfig()},
		Resource{DrainToken: "d.fc6b856b-3332-4546-93de-7d0ee272c3bd"},
		pcommon.NewTimestampFromTime(time.Now()), 0)
}

// octetCount frames one syslog message as Logplex does (RFC 6587): the
// count covers every byte of it, a trailing LF included.
func octetCount(msg string) string {
	return fmt.Sprintf("%d %s", len(msg), msg)
}

// recordOf runs one syslog line, with the trailing LF dyno and router lines
// carry, through the scanner and a Batch and returns its single record.
func recordOf(t testing.TB, line string) plog.LogRecord {
	t.Helper()
	return recordOfMsg(t, line+"\n")
}

// recordOfMsg is recordOf for a message framed exactly as given (L10 and
// some add-on lines have no trailing LF).
func recordOfMsg(t testing.TB, msg string) plog.LogRecord {
	t.Helper()
	line := msg
	b := newTestBatch()
	s := logplex.NewScanner(strings.NewReader(octetCount(msg)), logplex.Options{})
	n := 0
	for s.Scan() {
		f := s.Frame()
		if f.Err != nil {
			t.Fatalf("frame error: %v\nline: %s", f.Err, line)
		}
		b.Add(f)
		n++
	}
	if n != 1 {
		t.Fatalf("scanned %d frames, want 1", n)
	}
	rls := b.Logs().ResourceLogs()
	if rls.Len() != 1 || rls.At(0).ScopeLogs().Len() != 1 || rls.At(0).ScopeLogs().At(0).LogRecords().Len() != 1 {
		t.Fatalf("want exactly one record")
	}
	return rls.At(0).ScopeLogs().At(0).LogRecords().At(0)
}

// deprecatedEventNameAttr is the attribute the semantic conventions replaced
// with the LogRecord EventName field.
const deprecatedEventNameAttr = "event.name"

// lineCase is one example line and what its record must say.
type lineCase struct {
	name string
	line string
	// want maps an attribute to its value: string, int (int64 attribute),
	// float64, bool or []string (slice of strings).
	want map[string]any
	// absent lists attributes the record must not have.
	absent []string
	// event is the expected EventName; "" means none. The deprecated
	// event.name attribute must never be set.
	event string
	// severity, when set, is the expected SeverityNumber.
	severity plog.SeverityNumber
	// noLF frames the line without the trailing LF (L10, some add-on lines).
	noLF bool
}

func (tc lineCase) check(t *testing.T) {
	t.Helper()
	msg := tc.line + "\n"
	if tc.noLF {
		msg = tc.line
	}
	lr := recordOfMsg(t, msg)
	attrs := lr.Attributes()
	for key, want := range tc.want {
		v, ok := attrs.Get(key)
		if !ok {
			t.Errorf("%s missing; have %v", key, attrs.AsRaw())
			continue
		}
		checkValue(t, key, v, want)
	}
	for _, key := range tc.absent {
		if v, ok := attrs.Get(key); ok {
			t.Errorf("%s = %v, want absent", key, v.AsRaw())
		}
	}
	if got := lr.EventName(); got != tc.event {
		t.Errorf("EventName = %q, want %q", got, tc.event)
	}
	if v, ok := attrs.Get(deprecatedEventNameAttr); ok {
		t.Errorf("deprecated %s attribute = %q, want absent (EventName carries it)", deprecatedEventNameAttr, v.Str())
	}
	if tc.severity != 0 && lr.SeverityNumber() != tc.severity {
		t.Errorf("severity = %v (%s), want %v", lr.SeverityNumber(), lr.SeverityText(), tc.severity)
	}
}

func checkValue(t *testing.T, key string, v pcommon.Value, want any) {
	t.Helper()
	switch w := want.(type) {
	case string:
		if v.Type() != pcommon.ValueTypeStr || v.Str() != w {
			t.Errorf("%s = %v (%s), want %q", key, v.AsRaw(), v.Type(), w)
		}
	case int:
		if v.Type() != pcommon.ValueTypeInt || v.Int() != int64(w) {
			t.Errorf("%s = %v (%s), want int %d", key, v.AsRaw(), v.Type(), w)
		}
	case float64:
		if v.Type() != pcommon.ValueTypeDouble || v.Double() != w {
			t.Errorf("%s = %v (%s), want double %v", key, v.AsRaw(), v.Type(), w)
		}
	case bool:
		if v.Type() != pcommon.ValueTypeBool || v.Bool() != w {
			t.Errorf("%s = %v (%s), want bool %v", key, v.AsRaw(), v.Type(), w)
		}
	case []string:
		if v.Type() != pcommon.ValueTypeSlice {
			t.Errorf("%s = %v (%s), want slice %q", key, v.AsRaw(), v.Type(), w)
			return
		}
		got := make([]string, v.Slice().Len())
		for i := range got {
			got[i] = v.Slice().At(i).AsString()
		}
		if strings.Join(got, "\x00") != strings.Join(w, "\x00") || len(got) != len(w) {
			t.Errorf("%s = %q, want %q", key, got, w)
		}
	default:
		t.Fatalf("bad want type %T for %s", want, key)
	}
}

func runLineCases(t *testing.T, cases []lineCase) {
	t.Helper()
	seen := map[string]bool{}
	for _, tc := range cases {
		if seen[tc.name] {
			t.Fatalf("duplicate case name %q", tc.name)
		}
		seen[tc.name] = true
		t.Run(tc.name, tc.check)
	}
}

func TestLineStringsShareTheBody(t *testing.T) {
	lr := recordOf(t, `<158>1 2024-04-26T16:58:32.943253+00:00 host heroku router - at=info method=GET path="/a?b=c" host=my-app.example.com request_id=6903a168 fwd=138.68.186.89 dyno=web.1 connect=0ms service=0ms status=200 bytes=0 protocol=http2.0 tls=true tls_version=tls1.3`)
	body := lr.Body().Str()
	for _, key := range []string{attrURLPath, attrURLQuery, attrServerAddress, AttrRouterRequestID, attrClientAddress} {
		v, _ := lr.Attributes().Get(key)
		if !strings.Contains(body, v.Str()) {
			t.Errorf("%s = %q is not in the body", key, v.Str())
		}
	}
}

func TestLineStringsFallBackForForeignBytes(t *testing.T) {
	s := lineStrings{msg: []byte("abcdef"), body: "abcdef"}
	if got := s.str(s.msg[2:4]); got != "cd" {
		t.Errorf("aliased: %q", got)
	}
	if got := s.str([]byte("xyz")); got != "xyz" {
		t.Errorf("foreign: %q", got)
	}
	if got := s.str(s.msg); got != "abcdef" {
		t.Errorf("whole: %q", got)
	}
	if got := s.str(nil); got != "" {
		t.Errorf("nil: %q", got)
	}
	long := []byte("abcdefgh")
	if got := s.str(long); got != "abcdefgh" {
		t.Errorf("longer than msg: %q", got)
	}
}
