package logplex

import (
	"errors"
	"io"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// Good neighbours around every bad frame: a bad frame must never cost them.
const (
	goodA = "<190>1 2025-03-14T09:26:53.589793+00:00 host app web.1 - before\n"
	goodC = "<158>1 2025-03-14T09:26:54.000001+00:00 host heroku router - at=info after\n"
	badB  = "<190>1 2025-03-14T09:26:53.700000+00:00 host app web.2 - the bad one\n"
)

func TestMalformedFramingClasses(t *testing.T) {
	utf := "<190>1 2025-03-14T09:26:53Z host app web.1 - héllo wörld ✓ — ünïcödé\n"
	charLen := strconv.Itoa(len([]rune(utf)))
	tests := []struct {
		name string
		body string
		// want per frame: the sentinel (nil = good) and the Message.
		kinds []error
		msgs  []string
		// the bad frame's Raw, when it should be exactly this.
		badRaw string
	}{
		{"non-numeric length", frame(goodA) + "abc " + badB + frame(goodC),
			[]error{nil, ErrBadLength, nil}, []string{"before", "the bad one", "at=info after"}, badB},
		{"negative length", frame(goodA) + "-70 " + badB + frame(goodC),
			[]error{nil, ErrBadLength, nil}, []string{"before", "the bad one", "at=info after"}, badB},
		{"zero length before a message", frame(goodA) + "0 " + badB + frame(goodC),
			[]error{nil, ErrBadLength, nil}, []string{"before", "the bad one", "at=info after"}, badB},
		{"zero length alone is an empty frame", frame(goodA) + "0 " + frame(goodC),
			[]error{nil, ErrBadLength, nil}, []string{"before", "", "at=info after"}, ""},
		{"20-digit length does not allocate or swallow", frame(goodA) + "99999999999999999999 " + badB + frame(goodC),
			[]error{nil, ErrBadLength, nil}, []string{"before", "the bad one", "at=info after"}, badB},
		{"10-digit length", frame(goodA) + "1000000000 " + badB + frame(goodC),
			[]error{nil, ErrBadLength, nil}, []string{"before", "the bad one", "at=info after"}, badB},
		{"missing space after length", frame(goodA) + strconv.Itoa(len(badB)) + badB + frame(goodC),
			[]error{nil, ErrBadLength, nil}, []string{"before", "the bad one", "at=info after"}, badB},
		{"declared length too long", frame(goodA) + strconv.Itoa(len(badB)+7) + " " + badB + frame(goodC),
			[]error{nil, ErrLengthMismatch, nil}, []string{"before", "the bad one", "at=info after"}, badB},
		{"declared length too long by one (CRLF counted)", frame(goodA) + strconv.Itoa(len(badB)+1) + " " + badB + frame(goodC),
			[]error{nil, ErrLengthMismatch, nil}, []string{"before", "the bad one", "at=info after"}, badB},
		{"declared length huge but under 10 digits", frame(goodA) + "999999999 " + badB + frame(goodC),
			[]error{nil, ErrLengthMismatch, nil}, []string{"before", "the bad one", "at=info after"}, badB},
		{"length counted in characters, not bytes", frame(goodA) + charLen + " " + utf + frame(goodC),
			[]error{nil, ErrLengthMismatch, nil}, []string{"before", "héllo wörld ✓ — ünïcödé", "at=info after"}, utf},
		{"length too short, last frame", frame(goodA) + charLen + " " + utf,
			[]error{nil, ErrLengthMismatch}, []string{"before", "héllo wörld ✓ — ünïcödé"}, utf},
		{"truncated final frame", frame(goodA) + frame(badB)[:len(frame(badB))-5],
			[]error{nil, ErrTruncated}, []string{"before", "the bad"}, badB[:len(badB)-5]},
		{"truncated inside the length prefix", frame(goodA) + "7",
			[]error{nil, ErrBadLength}, []string{"before", "7"}, "7"},
		{"body is only a prefix", "83 ",
			[]error{ErrTruncated}, []string{""}, ""},
		{"garbage text between frames", frame(goodA) + "hello world\n" + frame(goodC),
			[]error{nil, ErrBadLength, nil}, []string{"before", "hello world", "at=info after"}, "hello world\n"},
		{"garbage ending in digits before an LF-less frame", frame(goodA) + "junk 12" + frame(strings.TrimSuffix(goodC, "\n")),
			[]error{nil, ErrBadLength, nil}, []string{"before", "junk 12", "at=info after"}, "junk 12"},
		{"bad frame without LF ending in digits before a good frame", frame(goodA) + "55 <190>1 2025-03-14T09:26:53Z host app web.1 - took 5" + frame(goodC),
			[]error{nil, ErrLengthMismatch, nil}, []string{"before", "took 5", "at=info after"}, "<190>1 2025-03-14T09:26:53Z host app web.1 - took 5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, st := scan(t, tt.body, Options{})
			if k := kinds(out); !reflect.DeepEqual(k, tt.kinds) {
				t.Fatalf("kinds %v, want %v\n%+v", k, tt.kinds, out)
			}
			var msgs []string
			for _, g := range out {
				msgs = append(msgs, g.Msg)
			}
			if !reflect.DeepEqual(msgs, tt.msgs) {
				t.Fatalf("messages %q, want %q", msgs, tt.msgs)
			}
			for _, g := range out {
				if g.Err == nil {
					continue
				}
				if g.Raw != tt.badRaw {
					t.Fatalf("bad Raw %q, want %q", g.Raw, tt.badRaw)
				}
				var fe *FrameError
				if !errors.As(g.Err, &fe) || fe.Offset != g.Offset || g.Err.Error() == "" {
					t.Fatalf("Err %#v", g.Err)
				}
			}
			if st.Malformed != 1 {
				t.Fatalf("Malformed = %d", st.Malformed)
			}
		})
	}
}

func TestUnframedSyslogLinesAreRecoveredOneByOne(t *testing.T) {
	for _, eol := range []string{"\n", "\r\n"} {
		body := strings.ReplaceAll(goodA+badB+goodC, "\n", eol)
		out, st := scan(t, body, Options{})
		if len(out) != 3 || st.Unframed != 3 || st.Malformed != 3 {
			t.Fatalf("%q: %+v %+v", eol, out, st)
		}
		want := []string{"before", "the bad one", "at=info after"}
		for i, g := range out {
			if !errors.Is(g.Err, ErrUnframed) || g.HeaderErr != nil || g.Msg != want[i] || !g.TSValid || g.Pri < 0 {
				t.Fatalf("%q line %d: %+v", eol, i, g)
			}
		}
	}
	// A final line without LF, and a framed frame after an unframed line.
	out, _ := scan(t, goodA+frame(goodC)+strings.TrimSuffix(badB, "\n"), Options{})
	if k := kinds(out); !reflect.DeepEqual(k, []error{ErrUnframed, nil, ErrUnframed}) {
		t.Fatalf("%v", k)
	}
}

func TestStrayWhitespaceBetweenFramesIsSkippedNotFlagged(t *testing.T) {
	body := "\r\n " + frame(goodA) + "\n" + frame(goodA) + "\r\n" + frame(strings.TrimSuffix(goodA, "\n")) + "  \t" + frame(goodC) + "\n\n"
	out, st := scan(t, body, Options{})
	if len(out) != 4 || st.Malformed != 0 {
		t.Fatalf("%+v", out)
	}
	if st.SkippedBytes != 3+1+2+3+2 {
		t.Fatalf("SkippedBytes = %d", st.SkippedBytes)
	}
	if got := goodMessages(out); !reflect.DeepEqual(got, []string{"before", "before", "before", "at=info after"}) {
		t.Fatalf("%q", got)
	}
	out, st = scan(t, "\n\r\n  ", Options{})
	if len(out) != 0 || st.SkippedBytes != 5 {
		t.Fatalf("whitespace-only body: %+v %+v", out, st)
	}
}

func TestFrameOverMaxFrameSizeKeepsThePrefixAndSkipsTheRest(t *testing.T) {
	const max = 256
	long := "<190>1 2025-03-14T09:26:53Z host app web.1 - " + strings.Repeat("x", 5000) + "\n"
	body := frame(goodA) + frame(long) + frame(goodC)
	out, st := scan(t, body, Options{MaxFrameSize: max})
	if k := kinds(out); !reflect.DeepEqual(k, []error{nil, ErrFrameTooLong, nil}) {
		t.Fatalf("%v", k)
	}
	g := out[1]
	if g.Raw != long[:max] || !g.Truncated || g.Discarded != len(long)-max || g.HeaderErr != nil || g.App != "app" {
		t.Fatalf("%+v", g)
	}
	if st.FrameTooLong != 1 || st.DiscardedBytes != int64(len(long)-max) {
		t.Fatalf("%+v", st)
	}
	// Oversized and truncated by the end of the body.
	out, _ = scan(t, frame(goodA)+frame(long)[:3000], Options{MaxFrameSize: max})
	if k := kinds(out); !reflect.DeepEqual(k, []error{nil, ErrFrameTooLong}) || !out[1].Truncated {
		t.Fatalf("%v", k)
	}
	// An oversized frame that fits the body exactly at MaxFrameSize+1.
	hdr := "<190>1 2025-03-14T09:26:53Z host app web.1 - "
	exact := hdr + strings.Repeat("y", max-len(hdr)) + "\n"
	if len(exact) != max+1 {
		t.Fatalf("fixture %d", len(exact))
	}
	out, _ = scan(t, frame(exact)+frame(goodC), Options{MaxFrameSize: max})
	if k := kinds(out); !reflect.DeepEqual(k, []error{ErrFrameTooLong, nil}) || out[0].Discarded != 1 {
		t.Fatalf("%v %+v", k, out)
	}
}

func TestGarbageLongerThanMaxFrameSizeIsBoundedAndDiscarded(t *testing.T) {
	const max = 128
	junk := strings.Repeat("garbage! ", 1000)
	out, st := scan(t, frame(goodA)+junk+frame(goodC), Options{MaxFrameSize: max})
	if k := kinds(out); !reflect.DeepEqual(k, []error{nil, ErrBadLength, nil}) {
		t.Fatalf("%v", k)
	}
	if out[1].Raw != junk[:max] || out[1].Discarded != len(junk)-max || !out[1].Truncated {
		t.Fatalf("%+v", out[1])
	}
	if st.DiscardedBytes != int64(len(junk)-max) {
		t.Fatalf("%+v", st)
	}
	// Unframed line longer than the limit.
	line := "<190>1 2025-03-14T09:26:53Z host app web.1 - " + strings.Repeat("z", 1000) + "\n"
	out, _ = scan(t, line+goodC, Options{MaxFrameSize: max})
	if k := kinds(out); !reflect.DeepEqual(k, []error{ErrUnframed, ErrUnframed}) || out[0].Raw != line[:max] || out[0].Discarded != len(line)-max || out[1].Msg != "at=info after" {
		t.Fatalf("%v %+v", k, out)
	}
}

func TestInvalidUTF8IsExposedNotRejected(t *testing.T) {
	bad := "<190>1 2025-03-14T09:26:53Z host app web.1 - caf\xe9 \xff\xfe\n"
	out, st := scan(t, frames(goodA, bad, goodC), Options{})
	if st.Malformed != 0 || len(out) != 3 {
		t.Fatalf("%+v", out)
	}
	if out[1].ValidUTF8 || out[1].Msg != "caf\xe9 \xff\xfe" || !out[0].ValidUTF8 {
		t.Fatalf("%+v", out[1])
	}
	// A rune cut by MaxFrameSize is not reported as invalid.
	hdr := "<190>1 2025-03-14T09:26:53Z host app web.1 - "
	cut := hdr + strings.Repeat("é", 100)
	f := Frame{Raw: []byte(cut[:len(hdr)+5]), Truncated: true}
	if !f.ValidUTF8() {
		t.Fatalf("cut rune: %v", f.ValidUTF8())
	}
}

func TestMalformedHeaderClasses(t *testing.T) {
	const ts = "2025-03-14T09:26:53Z"
	tests := []struct {
		name, msg string
		kind      error
		// when the header still yields fields, the expected ProcID and Message
		proc, text string
		tsValid    bool
	}{
		{"missing <", "190>1 " + ts + " host app web.1 - hi\n", ErrBadPRI, "", "190>1 " + ts + " host app web.1 - hi", false},
		{"PRI above 191", "<192>1 " + ts + " host app web.1 - hi\n", ErrBadPRI, "web.1", "hi", true},
		{"PRI non-digits", "<1a>1 " + ts + " host app web.1 - hi\n", ErrBadPRI, "", "<1a>1 " + ts + " host app web.1 - hi", false},
		{"PRI too long", "<0190>1 " + ts + " host app web.1 - hi\n", ErrBadPRI, "", "<0190>1 " + ts + " host app web.1 - hi", false},
		{"PRI empty", "<>1 " + ts + " host app web.1 - hi\n", ErrBadPRI, "", "<>1 " + ts + " host app web.1 - hi", false},
		{"version 2", "<190>2 " + ts + " host app web.1 - hi\n", ErrBadVersion, "web.1", "hi", true},
		{"version missing", "<190> " + ts + " host app web.1 - hi\n", ErrBadVersion, "", "<190> " + ts + " host app web.1 - hi", false},
		{"version not digits", "<190>x " + ts + " host app web.1 - hi\n", ErrBadVersion, "", "<190>x " + ts + " host app web.1 - hi", false},
		{"bad timestamp month", "<190>1 2025-13-14T09:26:53Z host app web.1 - hi\n", ErrBadTimestamp, "web.1", "hi", false},
		{"bad timestamp Feb 30", "<190>1 2025-02-30T09:26:53Z host app web.1 - hi\n", ErrBadTimestamp, "web.1", "hi", false},
		{"timestamp without zone", "<190>1 2025-03-14T09:26:53 host app web.1 - hi\n", ErrBadTimestamp, "web.1", "hi", false},
		{"timestamp with 10 fraction digits", "<190>1 2025-03-14T09:26:53.1234567890Z host app web.1 - hi\n", ErrBadTimestamp, "web.1", "hi", false},
		{"timestamp is a date only", "<190>1 2025-03-14 host app web.1 - hi\n", ErrBadTimestamp, "web.1", "hi", false},
		{"timestamp missing (fields shift)", "<190>1 host app web.1 - hi\n", ErrBadTimestamp, "-", "", false},
		{"too few header fields", "<190>1 " + ts + " host app\n", ErrBadHeader, "", "<190>1 " + ts + " host app", false},
		{"double space", "<190>1 " + ts + "  host app web.1 - hi\n", ErrBadHeader, "", "<190>1 " + ts + "  host app web.1 - hi", false},
		{"empty", "\n", ErrBadPRI, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, st := scan(t, frames(goodA, tt.msg, goodC), Options{})
			if len(out) != 3 || out[0].Err != nil || out[2].Err != nil || st.Malformed != 1 {
				t.Fatalf("%+v", out)
			}
			g := out[1]
			var fe *FrameError
			if !errors.As(g.Err, &fe) || fe.Kind != tt.kind || !errors.Is(g.Err, ErrBadHeader) || g.HeaderErr != g.Err {
				t.Fatalf("Err %v, want %v", g.Err, tt.kind)
			}
			if g.Proc != tt.proc || g.Msg != tt.text || g.TSValid != tt.tsValid || g.Raw != tt.msg {
				t.Fatalf("%+v", g)
			}
			if g.TSValid == false && !g.TS.IsZero() {
				t.Fatalf("timestamp not zero: %v", g.TS)
			}
		})
	}
}

// A run of every bad class back to back, interleaved with good frames: all
// good frames survive.
func TestEveryBadClassInOneBody(t *testing.T) {
	utf := "<190>1 2025-03-14T09:26:53Z host app web.1 - ✓✓✓✓\n"
	parts := []string{
		frame(goodA), "abc " + badB, frame(goodA), "-3 " + badB, frame(goodA), "0 " + badB,
		frame(goodA), "123456789012345678901 " + badB, frame(goodA), strconv.Itoa(len(badB)) + badB,
		frame(goodA), strconv.Itoa(len(badB)+9) + " " + badB, frame(goodA), strconv.Itoa(len([]rune(utf))) + " " + utf,
		frame(goodA), "\r\n\n", frame(goodA), goodC, frame(goodA), frame("<999>1 x\n"), frame(goodA),
		"junk junk\n", frame(goodA), frame(badB)[:20],
	}
	out, st := scan(t, strings.Join(parts, ""), Options{})
	good := goodMessages(out)
	if len(good) != 12 {
		t.Fatalf("good frames %q\n%+v", good, out)
	}
	for _, m := range good {
		if m != "before" {
			t.Fatalf("%q", good)
		}
	}
	if st.Malformed != 11 {
		t.Fatalf("Malformed %d: %v", st.Malformed, kinds(out))
	}
}

// repeatReader yields n bytes of a repeated pattern without holding them.
type repeatReader struct {
	pat string
	n   int
	i   int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	k := 0
	for k < len(p) && r.n > 0 {
		p[k] = r.pat[r.i%len(r.pat)]
		r.i++
		k++
		r.n--
	}
	return k, nil
}

func TestMemoryStaysBoundedWhateverTheBody(t *testing.T) {
	const size = 32 << 20
	for _, tc := range []struct {
		name string
		r    io.Reader
		kind error
	}{
		{"honest 9-digit length over the limit", io.MultiReader(strings.NewReader("33554432 <190>1 - host app web.1 - "), &repeatReader{pat: "x", n: size - 26}, strings.NewReader(frame(goodC))), ErrFrameTooLong},
		{"garbage", io.MultiReader(&repeatReader{pat: "no frames here ", n: size}, strings.NewReader(frame(goodC))), ErrBadLength},
		{"one endless unframed line", io.MultiReader(strings.NewReader("<190>1 - host app web.1 - "), &repeatReader{pat: "y", n: size}, strings.NewReader("\n"+frame(goodC))), ErrUnframed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ms0, ms1 runtime.MemStats
			runtime.ReadMemStats(&ms0)
			s := NewScanner(tc.r, Options{MaxFrameSize: 1024})
			var ks []error
			var last string
			for s.Scan() {
				ks = append(ks, kinds([]got{copyFrame(s.Frame())})...)
				last = string(s.Frame().Message)
			}
			runtime.ReadMemStats(&ms1)
			if s.Err() != nil || len(ks) != 2 || ks[0] != tc.kind || ks[1] != nil || last != "at=info after" {
				t.Fatalf("%v %v", ks, s.Err())
			}
			if cap(s.buf) > 2*1024+slack {
				t.Fatalf("buffer grew to %d", cap(s.buf))
			}
			if alloc := ms1.TotalAlloc - ms0.TotalAlloc; alloc > 1<<20 {
				t.Fatalf("allocated %d bytes for a %d-byte body", alloc, size)
			}
			st := s.Stats()
			if st.PrefixBytes+st.FrameBytes+st.SkippedBytes+st.DiscardedBytes != st.BytesRead {
				t.Fatalf("%+v", st)
			}
		})
	}
}
