package heroku

import (
	"math"
	"testing"
)

// The l2met documentation gives a grammar, not captured lines; the
// lines below are constructed from it.

const benchL2metLine = `at=info source=checkout.web count#orders.placed measure#db.latency=12.5ms sample#queue.depth=42 unique#user=u123 msg="order stored"`

type l2 struct {
	kind  L2metKind
	name  string
	value float64
	unit  string
	text  string
}

func TestParseL2met(t *testing.T) {
	tests := []struct {
		name   string
		line   string
		source string
		want   []l2
	}{
		{"plain app line has no measurements", "Started GET \"/\" for 1.2.3.4 at 2024-03-15 12:10:39 +0000", "", nil},
		{"all four prefixes on one line with a source", benchL2metLine, "checkout.web", []l2{
			{L2metCount, "orders.placed", 1, "", ""},
			{L2metMeasure, "db.latency", 12.5, "ms", ""},
			{L2metSample, "queue.depth", 42, "", ""},
			{L2metUnique, "user", 0, "", "u123"},
		}},
		{"count with value and unit", "count#bytes.sent=512kB", "", []l2{{L2metCount, "bytes.sent", 512, "kB", ""}}},
		{"count with empty value means 1", "count#hits= count#misses", "", []l2{
			{L2metCount, "hits", 1, "", ""}, {L2metCount, "misses", 1, "", ""}}},
		{"legacy measure.name form", "measure.api.latency=200ms", "", []l2{{L2metMeasure, "api.latency", 200, "ms", ""}}},
		{"oldest measure=name val=N form", "measure=api.latency val=200", "", []l2{{L2metMeasure, "api.latency", 200, "", ""}}},
		{"negative sample is accepted", "sample#temperature=-3", "", []l2{{L2metSample, "temperature", -3, "", ""}}},
		{"hyphenated names are kept", "sample#active-connections=7", "", []l2{{L2metSample, "active-connections", 7, "", ""}}},
		{"source after the measurements still applies", "sample#x=1 source=worker", "worker", []l2{{L2metSample, "x", 1, "", ""}}},
		{"bad values and unknown prefixes are skipped", "measure#a=abc sample#b= unique#c= gauge#d=1 count#=3 #x=1 measure#ok=1s",
			"", []l2{{L2metMeasure, "ok", 1, "s", ""}}},
		{"hash in ordinary text yields nothing", "issue #42 fixed in PR #43", "", nil},
		{"val without a preceding measure= is ignored", "val=3 measure=", "", nil},
		{"quoted unique value", `unique#path="/a b"`, "", []l2{{L2metUnique, "path", 0, "", "/a b"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, src := ParseL2met([]byte(tt.line), nil)
			if string(src) != tt.source {
				t.Errorf("source = %q, want %q", src, tt.source)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d measurements %+v, want %d", len(got), got, len(tt.want))
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Kind != w.kind || string(g.Name) != w.name || g.Value != w.value || string(g.Unit) != w.unit || string(g.Text) != w.text {
					t.Errorf("measurement %d = {%v %q %v %q %q}, want %+v", i, g.Kind, g.Name, g.Value, g.Unit, g.Text, w)
				}
			}
		})
	}
}

func TestParseL2metAppendsToCallerSlice(t *testing.T) {
	dst := []Measurement{{Kind: L2metSample, Name: []byte("kept")}}
	got, _ := ParseL2met([]byte("count#a count#b"), dst)
	if len(got) != 3 || string(got[0].Name) != "kept" || string(got[2].Name) != "b" {
		t.Errorf("got %+v", got)
	}
}

func TestMeasurementNormalizedUsesUnitTable(t *testing.T) {
	got, _ := ParseL2met([]byte("measure#db.latency=12.5ms sample#heap=3MB count#req=4req"), nil)
	want := []struct {
		v    float64
		unit string
		ok   bool
	}{{0.0125, "s", true}, {3 << 20, "By", true}, {4, "", false}}
	for i, w := range want {
		v, u, ok := got[i].Normalized()
		if math.Abs(v-w.v) > 1e-12 || u != w.unit || ok != w.ok {
			t.Errorf("%s: %v %q %v, want %+v", got[i].Name, v, u, ok, w)
		}
	}
}

func TestParseL2metDoesNotAllocateWithReusedSlice(t *testing.T) {
	line := []byte(benchL2metLine)
	plain := []byte("Completed 200 OK in 12ms (Views: 3.1ms | ActiveRecord: 2.2ms)")
	buf := make([]Measurement, 0, 8)
	if a := testing.AllocsPerRun(100, func() { buf, _ = ParseL2met(line, buf[:0]); buf, _ = ParseL2met(plain, buf[:0]) }); a != 0 {
		t.Errorf("%v allocs", a)
	}
}

func FuzzL2met(f *testing.F) {
	for _, s := range []string{benchL2metLine, "measure.a=1", "measure=a val=2", "count#", "count#a=", "#", "unique#u=",
		"sample#x=1e3kB source=", `measure#q="1"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, _ := ParseL2met(b, nil)
		for _, m := range got {
			if len(m.Name) == 0 || m.Kind < L2metCount || m.Kind > L2metUnique {
				t.Fatalf("bad measurement %+v from %q", m, b)
			}
			if math.IsNaN(m.Value) || math.IsInf(m.Value, 0) {
				t.Fatalf("value %v from %q", m.Value, b)
			}
			if m.Kind == L2metUnique && len(m.Text) == 0 {
				t.Fatalf("unique without text from %q", b)
			}
		}
	})
}

func BenchmarkParseL2met(b *testing.B) {
	line := []byte(benchL2metLine)
	buf := make([]Measurement, 0, 8)
	b.ReportAllocs()
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		buf, _ = ParseL2met(line, buf[:0])
	}
}

func BenchmarkParseL2metPlainLine(b *testing.B) {
	line := []byte(`Completed 200 OK in 12ms (Views: 3.1ms | ActiveRecord: 2.2ms | Allocations: 4213) request_id=8601b555-6a83-4c12-8269-97c8e32cdb22`)
	buf := make([]Measurement, 0, 8)
	b.ReportAllocs()
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		buf, _ = ParseL2met(line, buf[:0])
	}
}
