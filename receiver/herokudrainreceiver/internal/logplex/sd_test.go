package logplex

import (
	"strings"
	"testing"
)

// collectSD walks raw SD with SDIter and writes what it saw as
// "id{name=value,...}" with values unescaped.
func collectSD(raw string) (string, bool) {
	it := NewSDIter([]byte(raw))
	var b strings.Builder
	var buf []byte
	for it.NextElement() {
		b.WriteString(string(it.ID()) + "{")
		first := true
		for it.NextParam() {
			if !first {
				b.WriteByte(',')
			}
			first = false
			v := it.Value()
			if it.NeedsUnescape() {
				buf = AppendUnescaped(buf[:0], v)
				v = buf
			}
			b.WriteString(string(it.Name()) + "=" + string(v))
		}
		b.WriteString("}")
	}
	return b.String(), it.Valid()
}

// SDIter is also handed SD that the header parser did not check (for
// example by a caller with its own bytes): it keeps the elements before the
// damage, stops there and says so, and never reads past the input.
func TestSDIterStopsAtMalformedSD(t *testing.T) {
	tests := []struct {
		name  string
		raw   string
		want  string
		valid bool
	}{
		{"empty", "", "", true},
		{"one element, two params", `[a x="1" y="2"]`, "a{x=1,y=2}", true},
		{"element without params", `[a][b c="d"]`, "a{}b{c=d}", true},
		{"escapes resolved, other backslashes kept", `[a v="q\"b\\c\]d\n"]`, `a{v=q"b\c]d\n}`, true},
		{"unread params are skipped", `[a x="1"][b y="2"]`, "a{x=1}b{y=2}", true},
		{"text after the last element", `[a x="1"] tail`, "a{x=1}", false},
		{"not an element", `x`, "", false},
		{"empty SD-ID", `[ x="1"]`, "", false},
		{"SD-ID longer than 32", "[" + strings.Repeat("i", 33) + "]", "", false},
		{"param without a value", `[a x]`, "a{}", false},
		{"value without quotes", `[a x=1]`, "a{}", false},
		{"unterminated value", `[a x="1`, "a{}", false},
		{"no space before a param", `[a x="1"y="2"]`, "a{x=1}", false},
		{"element never closed", `[a x="1"`, "a{x=1}", false},
		{"second element bad", `[a x="1"][]`, "a{x=1}", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, valid := collectSD(tt.raw)
			if got != tt.want || valid != tt.valid {
				t.Errorf("collectSD(%q) = %q valid=%v, want %q valid=%v", tt.raw, got, valid, tt.want, tt.valid)
			}
		})
	}
}

// In auto mode, text after MSGID counts as SD only when it is well-formed
// SD: anything else stays message text, whole.
func TestMalformedSDInAutoModeStaysMessageText(t *testing.T) {
	for _, text := range []string{
		`[a x="1"`,          // element never closed
		`[a x="1]`,          // value never closed
		`[a x=1] hi`,        // value without quotes
		`[a x="1"y="2"] hi`, // no space between params
		`[a x="1"]hi`,       // no SP after SD
		"[" + strings.Repeat("i", 33) + "] hi",
	} {
		msg := "<190>1 2025-03-14T09:26:53Z host app web.1 - " + text + "\n"
		out, _ := scan(t, frame(msg), Options{SD: SDAuto})
		if len(out) != 1 {
			t.Fatalf("%q: %d frames", text, len(out))
		}
		if g := out[0]; g.Err != nil || !g.SDNil || g.Msg != text {
			t.Errorf("%q: err=%v SD=%q msg=%q", text, g.Err, g.SD, g.Msg)
		}
	}
}
