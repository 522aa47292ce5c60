package translate

import (
	"strings"
	"testing"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/logplex"
)

// A sender that writes RFC 5424 STRUCTURED-DATA (log-shuttle, syslog
// clients; never Logplex) gets it as syslog.structured_data: a map of SD-ID
// to a map of param name to unescaped value, and the message without it.
func TestStructuredDataBecomesAMapOfElements(t *testing.T) {
	msg := `<190>1 2025-03-14T09:26:53Z host app web.1 - [origin ip="10.0.0.1" software="shuttle"][meta@123 q="say \"hi\"" p="a\]b" p="last wins"] hello` + "\n"
	b := newTestBatch()
	s := logplex.NewScanner(strings.NewReader(octetCount(msg)), logplex.Options{SD: logplex.SDAuto})
	for s.Scan() {
		if f := s.Frame(); f.Err != nil {
			t.Fatal(f.Err)
		}
		b.Add(s.Frame())
	}
	lr := b.Logs().ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0)
	if got := lr.Body().Str(); got != "hello" {
		t.Errorf("body %q, want the message after the SD", got)
	}
	v, ok := lr.Attributes().Get(AttrSyslogStructuredData)
	if !ok {
		t.Fatalf("no %s in %v", AttrSyslogStructuredData, lr.Attributes().AsRaw())
	}
	got := v.Map().AsRaw()
	want := map[string]any{
		"origin":   map[string]any{"ip": "10.0.0.1", "software": "shuttle"},
		"meta@123": map[string]any{"q": `say "hi"`, "p": "last wins"},
	}
	if len(got) != len(want) {
		t.Fatalf("structured data %v, want %v", got, want)
	}
	for id, params := range want {
		g, ok := got[id].(map[string]any)
		if !ok {
			t.Fatalf("element %q missing in %v", id, got)
		}
		for k, w := range params.(map[string]any) {
			if g[k] != w {
				t.Errorf("%s.%s = %v, want %v", id, k, g[k], w)
			}
		}
	}
}

// Logplex frames carry no SD: the attribute is absent rather than empty.
func TestFramesWithoutSDHaveNoStructuredDataAttribute(t *testing.T) {
	lr := recordOf(t, "<190>1 2025-03-14T09:26:53Z host app web.1 - [not sd] hello")
	if _, ok := lr.Attributes().Get(AttrSyslogStructuredData); ok {
		t.Errorf("unexpected %s on a frame without SD", AttrSyslogStructuredData)
	}
}
