package logplex

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

func fuzzSeeds() []string {
	utf := "<190>1 2025-03-14T09:26:53Z host app web.1 - héllo ✓\n"
	return []string{
		"",
		strings.Repeat(frame(readmeMsg), 10),
		frame(seedMsg + "\n"),
		frames(l10Msg, crashedMsg),
		frames(routerMsg, routerErr, loadMsg, memMsg, pgMsg, pgMsg+"\n", appMsg),
		frames("<190>1 2025-03-14T09:26:53Z host app web.1 - - hello\n", `<190>1 2025-03-14T09:26:53Z host app web.1 - [a b="c\"d"] hi`),
		frame(goodA) + "abc " + badB + frame(goodC),
		frame(goodA) + "0 " + badB + "0 " + frame(goodC),
		frame(goodA) + "99999999999999999999 " + badB + frame(goodC),
		frame(goodA) + strconv.Itoa(len(badB)+1) + " " + badB + frame(goodC),
		frame(goodA) + strconv.Itoa(len([]rune(utf))) + " " + utf + frame(goodC),
		frame(goodA) + frame(badB)[:30],
		goodA + badB + goodC,
		"\r\n" + frame(goodA) + "  \n" + frame(goodC) + "\n",
		frame(goodA) + "hello world\n" + frame(goodC),
		"999999999 " + badB + frame(goodC),
		frame("<190>1 2025-03-14T09:26:53Z host app web.1 - caf\xe9\n"),
		frame(goodA) + "55 <190>1 2025-03-14T09:26:53Z host app web.1 - took 5" + frame(goodC),
	}
}

// FuzzScanner checks that scanning never panics, accounts for every byte,
// is independent of how the reader chunks the body, and that good frames
// round-trip: re-framing their Raw and scanning again gives the same frames.
func FuzzScanner(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add([]byte(s), uint16(0), uint8(0))
		f.Add([]byte(s), uint16(40), uint8(1))
	}
	f.Fuzz(func(t *testing.T, body []byte, maxSize uint16, mode uint8) {
		opts := Options{MaxFrameSize: int(maxSize % 512), SD: SDMode(mode % 3)}
		out, st := scan(t, string(body), opts) // accounting, one-byte reader, buffer bound

		var reframed strings.Builder
		var good []got
		for _, g := range out {
			if g.Err == nil {
				good = append(good, g)
				reframed.WriteString(frame(g.Raw))
			}
			if len(g.Raw) > max(int(maxSize%512), minFrameSize) && opts.MaxFrameSize != 0 {
				t.Fatalf("Raw %d bytes over the limit", len(g.Raw))
			}
		}
		if int64(len(good)) != st.Frames-st.Malformed {
			t.Fatalf("good %d, stats %+v", len(good), st)
		}
		again, st2 := scan(t, reframed.String(), opts)
		if st2.Malformed != 0 || !sameFrames(stripOffsets(good), stripOffsets(again)) {
			t.Fatalf("round trip differs:\n%q\n%+v\n%+v", reframed.String(), good, again)
		}
	})
}

func stripOffsets(gs []got) []got {
	out := make([]got, len(gs))
	for i, g := range gs {
		g.Offset = 0
		out[i] = g
	}
	return out
}

// FuzzParseHeader checks parseHeaderOnly's invariants and the timestamp parser
// against time.Parse.
func FuzzParseHeader(f *testing.F) {
	for _, m := range []string{readmeMsg, seedMsg, l10Msg, crashedMsg, routerMsg, loadMsg, memMsg, pgMsg, appMsg,
		"<190>1 2025-03-14T09:26:53Z host app web.1 - - hello", `<190>1 - host app web.1 ID [a b="c\"d"][e f="]"] hi`,
		"<192>1 2025-13-14T09:26:53Z host app web.1 -", "<1>", "2012-07-22T00:06:26-00:00", "2025-03-14T09:26:53.123456789+23:59"} {
		f.Add([]byte(m), uint8(0))
		f.Add([]byte(m), uint8(1))
	}
	f.Fuzz(func(t *testing.T, msg []byte, mode uint8) {
		var fr Frame
		err := parseHeaderOnly(msg, SDMode(mode%3), &fr)
		m := bytes.TrimSuffix(msg, []byte("\n"))
		if !bytes.HasSuffix(m, fr.Message) {
			t.Fatalf("Message %q is not a suffix of %q", fr.Message, m)
		}
		if err == nil || fr.Priority >= 0 {
			if fr.Priority > 191 {
				t.Fatalf("priority %d", fr.Priority)
			}
		}
		if err == nil {
			for _, fld := range [][]byte{fr.Hostname, fr.AppName, fr.ProcID} {
				if len(fld) == 0 || bytes.IndexByte(fld, ' ') >= 0 {
					t.Fatalf("field %q", fld)
				}
			}
			if fr.Version != 1 || fr.Priority < 0 {
				t.Fatalf("%+v", fr)
			}
		}
		if fr.SD != nil {
			if n, ok := scanSD(fr.SD); !ok || n != len(fr.SD) {
				t.Fatalf("SD %q does not scan", fr.SD)
			}
			it := fr.SDElements()
			for it.NextElement() {
				for it.NextParam() {
					_ = AppendUnescaped(nil, it.Value())
				}
			}
			if !it.Valid() {
				t.Fatalf("SD %q does not iterate", fr.SD)
			}
		}
		if !fr.TimestampValid && !fr.Timestamp.IsZero() {
			t.Fatal("invalid timestamp not zero")
		}
		// Our timestamp parser is a strict subset of time.Parse(RFC3339Nano).
		if ts, ok := parseTimestamp(msg); ok {
			want, err := time.Parse(time.RFC3339Nano, string(msg))
			if err != nil || !want.Equal(ts) {
				t.Fatalf("%q: ours %v, time.Parse %v %v", msg, ts, want, err)
			}
		}
		// And the SD iterator never misbehaves on arbitrary bytes.
		it := NewSDIter(msg)
		for it.NextElement() {
			for it.NextParam() {
			}
		}
	})
}

// The scanner copes with a reader that returns data and EOF together and
// with tiny chunks, byte for byte like strings.Reader.
func TestChunkingDoesNotChangeResults(t *testing.T) {
	for _, body := range fuzzSeeds() {
		want, wst, _ := scanReader(strings.NewReader(body), Options{MaxFrameSize: 64})
		for _, r := range []io.Reader{
			iotest.DataErrReader(strings.NewReader(body)),
			iotest.HalfReader(strings.NewReader(body)),
			iotest.OneByteReader(strings.NewReader(body)),
		} {
			got, gst, err := scanReader(r, Options{MaxFrameSize: 64})
			if err != nil || !sameFrames(want, got) || wst != gst {
				t.Fatalf("%q: differs (%v)", body, err)
			}
		}
	}
}
