package logplex

import (
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// frame octet-counts msg, so fixtures never trust a hand-counted length.
func frame(msg string) string { return strconv.Itoa(len(msg)) + " " + msg }

// frames concatenates frame(m) for each m, with no separator, like Logplex.
func frames(msgs ...string) string {
	var b strings.Builder
	for _, m := range msgs {
		b.WriteString(frame(m))
	}
	return b.String()
}

// got is a copy of a Frame that outlives Scan.
type got struct {
	Raw, Host, App, Proc, MsgID, SD, Msg string
	MsgIDNil, SDNil                      bool
	Pri, Ver                             int
	TS                                   time.Time
	TSValid                              bool
	Err, HeaderErr                       error
	Truncated                            bool
	Discarded                            int
	Offset                               int64
	ValidUTF8                            bool
}

func copyFrame(f *Frame) got {
	return got{
		Raw: string(f.Raw), Host: string(f.Hostname), App: string(f.AppName), Proc: string(f.ProcID),
		MsgID: string(f.MsgID), SD: string(f.SD), Msg: string(f.Message),
		MsgIDNil: f.MsgID == nil, SDNil: f.SD == nil,
		Pri: f.Priority, Ver: f.Version, TS: f.Timestamp, TSValid: f.TimestampValid,
		Err: f.Err, HeaderErr: f.HeaderErr, Truncated: f.Truncated, Discarded: f.Discarded,
		Offset: f.Offset, ValidUTF8: f.ValidUTF8(),
	}
}

func scanReader(r io.Reader, opts Options) ([]got, Stats, error) {
	s := NewScanner(r, opts)
	var out []got
	for s.Scan() {
		out = append(out, copyFrame(s.Frame()))
		if len(out) > 1<<20 {
			panic("runaway scanner")
		}
	}
	return out, s.Stats(), s.Err()
}

// scan scans body and checks the invariants that hold for every body: no
// read error, the byte accounting, identical results with a one-byte
// reader, and the buffer bound.
func scan(t testing.TB, body string, opts Options) ([]got, Stats) {
	t.Helper()
	s := NewScanner(strings.NewReader(body), opts)
	var out []got
	for s.Scan() {
		out = append(out, copyFrame(s.Frame()))
	}
	st := s.Stats()
	if s.Err() != nil {
		t.Fatalf("Err() = %v", s.Err())
	}
	checkAccounting(t, body, out, st)
	if cap(s.buf) > s.maxBuf {
		t.Fatalf("buffer %d > bound %d", cap(s.buf), s.maxBuf)
	}
	out1, st1, err := scanReader(iotest.OneByteReader(strings.NewReader(body)), opts)
	if err != nil {
		t.Fatalf("one-byte reader: Err() = %v", err)
	}
	if !sameFrames(out, out1) || st != st1 {
		t.Fatalf("one-byte reader differs:\n%+v\n%+v\n%+v\n%+v", out, out1, st, st1)
	}
	return out, st
}

func checkAccounting(t testing.TB, body string, out []got, st Stats) {
	t.Helper()
	var raw, disc int64
	for _, g := range out {
		raw += int64(len(g.Raw))
		disc += int64(g.Discarded)
	}
	if raw != st.FrameBytes || disc != st.DiscardedBytes {
		t.Fatalf("Raw sum %d vs FrameBytes %d, Discarded sum %d vs DiscardedBytes %d", raw, st.FrameBytes, disc, st.DiscardedBytes)
	}
	if st.BytesRead != int64(len(body)) {
		t.Fatalf("BytesRead %d, body %d", st.BytesRead, len(body))
	}
	if sum := raw + disc + st.PrefixBytes + st.SkippedBytes; sum != int64(len(body)) {
		t.Fatalf("accounting: raw %d + discarded %d + prefix %d + skipped %d = %d, body %d",
			raw, disc, st.PrefixBytes, st.SkippedBytes, sum, len(body))
	}
	if st.Frames != int64(len(out)) {
		t.Fatalf("Stats.Frames %d, scanned %d", st.Frames, len(out))
	}
	var bad int64
	for _, g := range out {
		if g.Err != nil {
			bad++
		}
	}
	if bad != st.Malformed {
		t.Fatalf("Stats.Malformed %d, frames with Err %d", st.Malformed, bad)
	}
}

func sameFrames(a, b []got) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if errStr(x.Err) != errStr(y.Err) || errStr(x.HeaderErr) != errStr(y.HeaderErr) {
			return false
		}
		x.Err, y.Err, x.HeaderErr, y.HeaderErr = nil, nil, nil, nil
		if !x.TS.Equal(y.TS) {
			return false
		}
		x.TS, y.TS = time.Time{}, time.Time{}
		if x != y {
			return false
		}
	}
	return true
}

func errStr(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// messages returns the Message of every good frame.
func goodMessages(out []got) []string {
	var m []string
	for _, g := range out {
		if g.Err == nil {
			m = append(m, g.Msg)
		}
	}
	return m
}

func kinds(out []got) []error {
	var k []error
	for _, g := range out {
		var fe *FrameError
		if errors.As(g.Err, &fe) {
			k = append(k, fe.Kind)
		} else {
			k = append(k, g.Err)
		}
	}
	return k
}

// parseHeaderOnly parses msg, one SYSLOG-MSG (a single trailing LF is ignored),
// into f's header fields and Message, as the Scanner does for each frame, and
// sets and returns HeaderErr: header parsing alone, for fuzzing and benchmarks.
func parseHeaderOnly(msg []byte, mode SDMode, f *Frame) error {
	if n := len(msg); n > 0 && msg[n-1] == '\n' {
		msg = msg[:n-1]
	}
	f.HeaderErr = nil
	if kind, detail := parseHeader(msg, mode, f); kind != nil {
		f.HeaderErr = &FrameError{Kind: kind, Detail: detail, Declared: -1, Actual: -1}
	}
	return f.HeaderErr
}
