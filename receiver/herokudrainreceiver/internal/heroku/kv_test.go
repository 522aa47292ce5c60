package heroku

import (
	"bytes"
	"testing"
)

type kvPair struct {
	key, val string
	quoted   bool
	bare     bool
}

func scanAll(line string) []kvPair {
	var out []kvPair
	s := NewKVScanner([]byte(line))
	for s.Next() {
		out = append(out, kvPair{string(s.Key()), string(s.Value()), s.quoted, s.val == nil})
	}
	return out
}

func TestKVScanner(t *testing.T) {
	tests := []struct {
		name string
		line string
		want []kvPair
	}{
		{"empty line yields nothing", "", nil},
		{"blank line yields nothing", "   \t ", nil},
		{"plain pairs", "a=1 b=2", []kvPair{{"a", "1", false, false}, {"b", "2", false, false}}},
		{"quoted value keeps spaces", `desc="No web processes running" x=1`,
			[]kvPair{{"desc", "No web processes running", true, false}, {"x", "1", false, false}}},
		{"escaped quote stays raw inside quoted value", `a="say \"hi\"" b=c`,
			[]kvPair{{"a", `say \"hi\"`, true, false}, {"b", "c", false, false}}},
		{"escaped backslash before closing quote", `a="x\\" b=1`,
			[]kvPair{{"a", `x\\`, true, false}, {"b", "1", false, false}}},
		{"empty value is not bare", "status= bytes=0",
			[]kvPair{{"status", "", false, false}, {"bytes", "0", false, false}}},
		{"empty value at end of line", "status=", []kvPair{{"status", "", false, false}}},
		{"bare key has no value", "count#hits other=1",
			[]kvPair{{"count#hits", "", false, true}, {"other", "1", false, false}}},
		{"bare key at end of line", "x=1 count#hits", []kvPair{{"x", "1", false, false}, {"count#hits", "", false, true}}},
		{"multiple blanks between pairs", "a=1    b=2\t\tc=3",
			[]kvPair{{"a", "1", false, false}, {"b", "2", false, false}, {"c", "3", false, false}}},
		{"unquoted value may contain =", "q=a=b=c", []kvPair{{"q", "a=b=c", false, false}}},
		{"quoted value may contain = and &", `path="/a?b=c&d=e" host=x`,
			[]kvPair{{"path", "/a?b=c&d=e", true, false}, {"host", "x", false, false}}},
		{"unterminated quote runs to end", `a="open ended`, []kvPair{{"a", "open ended", true, false}}},
		{"empty quoted value", `a="" b=1`, []kvPair{{"a", "", true, false}, {"b", "1", false, false}}},
		{"bytes glued after closing quote are dropped", `a="x"junk b=1`,
			[]kvPair{{"a", "x", true, false}, {"b", "1", false, false}}},
		{"leading = gives empty key", "=v k=1", []kvPair{{"", "v", false, false}, {"k", "1", false, false}}},
		{"trailing blanks", "a=1  ", []kvPair{{"a", "1", false, false}}},
		{"Router 2.0 line from Heroku's router article",
			`at=info method=GET path="/" host=my-app.example.com request_id=6903a168-b79b-ec27-03c8-b8f64d8d8792 fwd=138.68.186.89 dyno=web.1 connect=0ms service=0ms status=200 bytes=0 protocol=http2.0 tls=true tls_version=tls1.3`,
			[]kvPair{
				{"at", "info", false, false}, {"method", "GET", false, false}, {"path", "/", true, false},
				{"host", "my-app.example.com", false, false}, {"request_id", "6903a168-b79b-ec27-03c8-b8f64d8d8792", false, false},
				{"fwd", "138.68.186.89", false, false}, {"dyno", "web.1", false, false}, {"connect", "0ms", false, false},
				{"service", "0ms", false, false}, {"status", "200", false, false}, {"bytes", "0", false, false},
				{"protocol", "http2.0", false, false}, {"tls", "true", false, false}, {"tls_version", "tls1.3", false, false},
			}},
		{"fwd comma list in quotes", `fwd="58.6.203.42,54.239.202.42" dyno=`,
			[]kvPair{{"fwd", "58.6.203.42,54.239.202.42", true, false}, {"dyno", "", false, false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := scanAll(tt.line)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d pairs %+v, want %d %+v", len(got), got, len(tt.want), tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("pair %d: got %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestAppendUnquotedDecodesOnlyQuoteAndBackslash(t *testing.T) {
	for in, want := range map[string]string{
		`plain`:       `plain`,
		`say \"hi\"`:  `say "hi"`,
		`a\\b`:        `a\b`,
		`keep \d \n`:  `keep \d \n`,
		`trailing \`:  `trailing \`,
		`\\\"`:        `\"`,
		``:            ``,
		`/a?b=c&d=e`:  `/a?b=c&d=e`,
		`x\\\\y\"z\"`: `x\\y"z"`,
	} {
		if got := string(AppendUnquoted(nil, []byte(in))); got != want {
			t.Errorf("AppendUnquoted(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestKVScannerDoesNotAllocate(t *testing.T) {
	line := []byte(benchRouterLine)
	allocs := testing.AllocsPerRun(100, func() {
		s := NewKVScanner(line)
		for s.Next() {
		}
	})
	if allocs != 0 {
		t.Errorf("allocs = %v, want 0", allocs)
	}
}

func FuzzKV(f *testing.F) {
	for _, s := range []string{
		"", "a=1 b=2", `a="x \" y" b=`, "count#x", `k="unterminated`, `k="x\`, "=v", " \t\r\n",
		benchRouterLine, benchRuntimeMemLine,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		rest := b
		for n := 0; ; n++ {
			if n > len(b) {
				t.Fatalf("more pairs than bytes in %q", b)
			}
			key, val, quoted, r, ok := NextKV(rest)
			if !ok {
				if len(bytes.Trim(rest, " \t\r\n")) != 0 {
					t.Fatalf("stopped with non-blank rest %q", rest)
				}
				return
			}
			if len(r) >= len(rest) {
				t.Fatalf("no progress on %q", rest)
			}
			if bytes.ContainsAny(key, "= \t\r\n") {
				t.Fatalf("key %q holds a separator", key)
			}
			if !quoted && bytes.ContainsAny(val, " \t\r\n") {
				t.Fatalf("unquoted value %q holds a blank", val)
			}
			if len(r) > 0 && !kvBlank(r[0]) {
				t.Fatalf("rest %q does not start at a blank", r)
			}
			rest = r
		}
	})
}

const benchRouterLine = `at=info method=GET path="/api/v1/items?page=2&sort=name" host=example-app-1234567890ab.herokuapp.com request_id=8601b555-6a83-4c12-8269-97c8e32cdb22 fwd="204.204.204.204" dyno=web.1 connect=1ms service=18ms status=200 bytes=13 protocol=https tls_version=tls1.3`

const benchRuntimeMemLine = `source=web.1 dyno=heroku.2808254.d97d0ea7-cf3d-411b-b453-d2943a50b456 sample#memory_total=21.00MB sample#memory_rss=21.22MB sample#memory_cache=0.00MB sample#memory_swap=0.00MB sample#memory_pgpgin=348836pages sample#memory_pgpgout=343403pages sample#memory_quota=512.00MB`

func BenchmarkKVScanner(b *testing.B) {
	line := []byte(benchRouterLine)
	b.ReportAllocs()
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		s := NewKVScanner(line)
		for s.Next() {
		}
	}
}
