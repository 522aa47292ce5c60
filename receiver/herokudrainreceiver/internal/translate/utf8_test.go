package translate

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/logplex"
)

func TestWireStringsAreAlwaysValidUTF8(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		want  string
		valid bool
	}{
		{"ASCII passes as is", "web.1", "web.1", true},
		{"valid multi-byte passes as is", "café ✓", "café ✓", true},
		{"NUL bytes are valid UTF-8", "a\x00b", "a\x00b", true},
		{"an invalid byte becomes U+FFFD", "caf\xe9", "caf\uFFFD", false},
		{"a run of invalid bytes becomes one U+FFFD", "a\xff\xfe\xfdb", "a\uFFFDb", false},
		{"a character cut short becomes U+FFFD", "x\xe2\x9c", "x\uFFFD", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := wireStringOK([]byte(tt.in))
			if got != tt.want || ok != tt.valid {
				t.Errorf("wireStringOK(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.valid)
			}
			if s := wireString([]byte(tt.in)); s != tt.want {
				t.Errorf("wireString(%q) = %q", tt.in, s)
			}
			if s := validString(tt.in); s != tt.want || !utf8.ValidString(s) {
				t.Errorf("validString(%q) = %q", tt.in, s)
			}
			if s, ok := internOK([]byte(tt.in)); s != tt.want || ok != tt.valid {
				t.Errorf("internOK(%q) = %q, %v", tt.in, s, ok)
			}
			if s := intern([]byte(tt.in)); s != tt.want {
				t.Errorf("intern(%q) = %q", tt.in, s)
			}
		})
	}
}

func TestInternSharesCommonValues(t *testing.T) {
	a, ok := internOK([]byte("router"))
	if !ok || a != "router" || dynoType([]byte("caf\xe9.1")) != "caf\uFFFD" {
		t.Errorf("internOK(router) = %q, %v; dynoType of an invalid name = %q", a, ok, dynoType([]byte("caf\xe9.1")))
	}
}

func TestRecordsWithInvalidWireStringsAreFlagged(t *testing.T) {
	tests := []struct {
		name, line, key, want string
	}{
		{"APP-NAME", "<190>1 2012-11-30T06:45:29+00:00 host ap\xff web.1 - hello", AttrSyslogAppName, "ap\uFFFD"},
		{"MSGID", "<190>1 2012-11-30T06:45:29+00:00 host app web.1 m\xff hello", AttrSyslogMsgID, "m\uFFFD"},
		{"a router path in a valid body cut inside no character", `<158>1 2012-10-11T03:47:20+00:00 host heroku router - at=info method=GET path="/caf` + "\xe9" + `" host=a.herokuapp.com dyno=web.1 connect=1ms service=18ms status=200 bytes=13`, "url.path", "/caf\uFFFD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lr := recordOf(t, tt.line)

			if v, ok := lr.Attributes().Get(tt.key); !ok || v.Str() != tt.want {
				t.Errorf("%s = %v, want %q (%v)", tt.key, v.AsRaw(), tt.want, lr.Attributes().AsRaw())
			}
			if v, ok := lr.Attributes().Get(AttrInvalidUTF8); !ok || !v.Bool() {
				t.Errorf("record not flagged %s", AttrInvalidUTF8)
			}
		})
	}
}

func TestStructuredDataWithInvalidBytesIsReplacedAndFlagged(t *testing.T) {
	msg := "<190>1 2012-11-30T06:45:29+00:00 host app web.1 - [o k=\"v\xfd\"] hello\n"
	s := logplex.NewScanner(strings.NewReader(octetCount(msg)), logplex.Options{SD: logplex.SDRFC5424})
	b := newTestBatch()
	for s.Scan() {
		b.Add(s.Frame())
	}
	lr := b.Logs().ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0)
	v, ok := lr.Attributes().Get(AttrSyslogStructuredData)
	if got := fmt.Sprint(v.AsRaw()); !ok || got != "map[o:map[k:v\uFFFD]]" {
		t.Errorf("%s = %s", AttrSyslogStructuredData, got)
	}
	if f, ok := lr.Attributes().Get(AttrInvalidUTF8); !ok || !f.Bool() {
		t.Errorf("record not flagged: %v", lr.Attributes().AsRaw())
	}
}
