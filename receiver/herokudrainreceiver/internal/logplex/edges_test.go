package logplex

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// An unframed syslog line of exactly MaxFrameSize bytes before its LF is
// kept whole (not flagged as truncated), and the LF counts as whitespace.
func TestUnframedLineOfExactlyMaxFrameSizeIsKeptWhole(t *testing.T) {
	const max = 64
	head := "<190>1 2025-03-14T09:26:53Z host app web.1 - "
	line := head + strings.Repeat("x", max-len(head))
	out, st := scan(t, line+"\n"+frame("<190>1 2025-03-14T09:26:54Z h app web.1 - next\n"), Options{MaxFrameSize: max})
	if len(out) != 2 {
		t.Fatalf("%d frames, want 2", len(out))
	}
	if g := out[0]; g.Raw != line || g.Truncated || !errors.Is(g.Err, ErrUnframed) || g.HeaderErr != nil {
		t.Errorf("first: raw %q truncated=%v err=%v header=%v", g.Raw, g.Truncated, g.Err, g.HeaderErr)
	}
	if out[1].Msg != "next" || out[1].Err != nil {
		t.Errorf("second: %+v", out[1])
	}
	if st.SkippedBytes != 1 {
		t.Errorf("SkippedBytes = %d, want the one LF", st.SkippedBytes)
	}
}

// An unframed line longer than MaxFrameSize with no LF before the end of
// the body keeps its first MaxFrameSize bytes and drops the rest.
func TestOverlongUnframedLineAtTheEndIsTruncated(t *testing.T) {
	const max = 64
	line := "<190>1 2025-03-14T09:26:53Z host app web.1 - " + strings.Repeat("y", 3*max)
	out, st := scan(t, line, Options{MaxFrameSize: max})
	if len(out) != 1 {
		t.Fatalf("%d frames, want 1", len(out))
	}
	g := out[0]
	if g.Raw != line[:max] || !g.Truncated || g.Discarded != len(line)-max || !errors.Is(g.Err, ErrUnframed) {
		t.Errorf("raw %q truncated=%v discarded=%d err=%v", g.Raw, g.Truncated, g.Discarded, g.Err)
	}
	if st.DiscardedBytes != int64(len(line)-max) {
		t.Errorf("DiscardedBytes = %d", st.DiscardedBytes)
	}
}

// badReader misbehaves the way io.Reader's contract forbids.
type badReader struct {
	n    int // count to return
	data string
	done bool
}

func (r *badReader) Read(p []byte) (int, error) {
	if !r.done && r.data != "" {
		r.done = true
		return copy(p, r.data), nil
	}
	return r.n, nil
}

// A reader that breaks io.Reader's contract ends the body: frames read so
// far are returned, and Err says what went wrong instead of looping or
// indexing out of range.
func TestBrokenReadersEndTheBodyWithAnError(t *testing.T) {
	good := frame("<190>1 2025-03-14T09:26:53Z host app web.1 - first\n")
	tests := []struct {
		name string
		n    int
		want error
	}{
		{"negative count", -1, errNegativeRead},
		{"count beyond the buffer", 1 << 30, errNegativeRead},
		{"no progress", 0, io.ErrNoProgress},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := scanReader(&badReader{n: tt.n, data: good}, Options{})
			if !errors.Is(err, tt.want) {
				t.Fatalf("Err() = %v, want %v", err, tt.want)
			}
			if len(out) != 1 || out[0].Msg != "first" {
				t.Errorf("frames before the failure: %+v", out)
			}
		})
	}
}
