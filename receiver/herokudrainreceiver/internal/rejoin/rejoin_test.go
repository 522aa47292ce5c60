package rejoin

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const token = "d.fc6b856b-3332-4546-93de-7d0ee272c3bd"

var t0 = time.Date(2024, 3, 15, 12, 0, 0, 0, time.UTC)

func TestCutRules(t *testing.T) {
	for _, tc := range []struct {
		name string
		cut  func(string, []byte) []string
		size func(msg string) int
	}{
		{"log-shuttle cuts messages to 10,000 bytes", shuttleCut, func(m string) int { return len(m) - len(header("web.1", 1)) }},
		{"Logplex cuts syslog messages to 10,240 bytes", logplexCut, func(m string) int { return len(m) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			line := longLine(t, 25_000, tc.cut)
			require.True(t, utf8.Valid(line))
			msgs := tc.cut(header("web.1", 1), line)
			require.Len(t, msgs, 3)
			for _, m := range msgs[:2] {
				assert.Contains(t, []int{ShuttleCutSize, LogplexCutSize}, tc.size(m))
				assert.NotEqual(t, byte('\n'), m[len(m)-1])
			}
			assert.Equal(t, byte('\n'), msgs[2][len(msgs[2])-1])
		})
	}
}

func TestLinesCutByHerokuComeOutWhole(t *testing.T) {
	other := []string{header("router", 1) + "at=info method=GET path=/ status=200\n"}
	for _, tc := range []struct {
		name   string
		cut    func(string, []byte) []string
		pieces int
	}{
		{"log-shuttle's 10,000-byte cut", shuttleCut, 3},
		{"Logplex's 10,240-byte message limit", logplexCut, 3},
	} {
		line := longLine(t, 25_000, tc.cut)
		want := strings.TrimSuffix(string(line), "\n")
		t.Run(tc.name+" gives one readable record", func(t *testing.T) {
			j, _, c := fixture(ModeRejoin)
			got := only(t, run(t, j, token, body(tc.cut(header("web.1", 1), line)), true))
			assert.Equal(t, want, got.msg)
			assert.True(t, utf8.ValidString(got.msg))
			assert.Equal(t, Part{Pieces: tc.pieces}, got.part)
			assert.Equal(t, counter{rejoined: 1}, *c)
			assert.Zero(t, j.Pending())
		})
		t.Run(tc.name+" with other dynos' lines in between", func(t *testing.T) {
			j, _, c := fixture(ModeRejoin)
			pieces := tc.cut(header("web.1", 1), line)
			worker := tc.cut(header("worker.1", 1), line)
			out := run(t, j, token, body(pieces[:1], worker[:1], other, pieces[1:2], worker[1:], pieces[2:]), true)
			require.Len(t, out, 3)
			assert.Equal(t, "router", out[0].proc)
			assert.Equal(t, "worker.1", out[1].proc)
			assert.Equal(t, want, out[1].msg)
			assert.Equal(t, "web.1", out[2].proc)
			assert.Equal(t, want, out[2].msg)
			assert.Equal(t, int64(2), c.rejoined)
		})
	}
}

func TestLinesCutAcrossRequests(t *testing.T) {
	line := longLine(t, 25_000, shuttleCut)
	want := strings.TrimSuffix(string(line), "\n")
	pieces := shuttleCut(header("web.1", 1), line)

	t.Run("the rest of a line in the drain's next request completes it", func(t *testing.T) {
		j, now, c := fixture(ModeRejoin)
		assert.Empty(t, run(t, j, token, body(pieces[:2]), true))
		assert.Equal(t, 1, j.Pending())
		*now = now.Add(time.Second)
		assert.Equal(t, want, only(t, run(t, j, token, body(pieces[2:]), true)).msg)
		assert.Equal(t, counter{rejoined: 1}, *c)
	})
	t.Run("another drain's request does not continue it", func(t *testing.T) {
		j, _, _ := fixture(ModeRejoin)
		run(t, j, token, body(pieces[:2]), true)
		out := run(t, j, "d.00000000-0000-0000-0000-000000000000", body(pieces[2:]), true)
		require.Len(t, out, 1)
		assert.Equal(t, pieces[2][len(header("web.1", 1)):len(pieces[2])-1], out[0].msg, "passed through as it is")
		assert.Equal(t, 1, j.Pending())
	})
	t.Run("a refused request is retried with the line still open", func(t *testing.T) {
		j, _, c := fixture(ModeRejoin)
		run(t, j, token, body(pieces[:1]), true)
		refused := run(t, j, token, body(pieces[1:]), false)
		require.Len(t, refused, 1, "the refused attempt built the whole line")
		assert.Zero(t, c.rejoined, "nothing counted for a refused request")
		assert.Equal(t, 1, j.Pending(), "the open line is back")
		assert.Equal(t, want, only(t, run(t, j, token, body(pieces[1:]), true)).msg)
		assert.Equal(t, counter{rejoined: 1}, *c)
	})
	t.Run("pieces that never come are given up after max_wait, without a cut character", func(t *testing.T) {
		j, now, c := fixture(ModeRejoin)
		run(t, j, token, body(pieces[:2]), true)
		assert.Empty(t, j.Expire(now.Add(4*time.Second), false), "still within max_wait")
		exp := j.Expire(now.Add(5*time.Second), false)
		require.Len(t, exp, 1)
		assert.Equal(t, token, exp[0].DrainToken)
		assert.Equal(t, Part{Pieces: 2, Incomplete: true}, exp[0].Part)
		msg := string(exp[0].Frame.Message)
		assert.True(t, utf8.ValidString(msg))
		assert.True(t, strings.HasPrefix(want, msg))
		assert.Greater(t, len(msg), 2*ShuttleCutSize-utf8.UTFMax)
		assert.Equal(t, "web.1", string(exp[0].Frame.ProcID))
		assert.Equal(t, counter{givenUp: 1}, *c)
		assert.Zero(t, j.Pending())
	})
	t.Run("shutdown gives up every open line", func(t *testing.T) {
		j, now, _ := fixture(ModeRejoin)
		run(t, j, token, body(pieces[:1]), true)
		run(t, j, "d.00000000-0000-0000-0000-000000000000", body(shuttleCut(header("web.2", 1), line)[:1]), true)
		assert.Len(t, j.Expire(*now, true), 2)
		assert.Zero(t, j.Pending())
	})
}

func TestLinesThatCannotBeRejoined(t *testing.T) {
	line := longLine(t, 25_000, shuttleCut)
	pieces := shuttleCut(header("web.1", 1), line)
	next := header("web.1", 2) + "the next line\n"

	t.Run("a new line from the dyno gives up the open one and comes after it", func(t *testing.T) {
		j, _, c := fixture(ModeRejoin)
		out := run(t, j, token, body(pieces[:2], []string{next}), true)
		require.Len(t, out, 2)
		assert.Equal(t, Part{Pieces: 2, Incomplete: true}, out[0].part)
		assert.True(t, utf8.ValidString(out[0].msg))
		assert.Equal(t, "the next line", out[1].msg)
		assert.Equal(t, Part{}, out[1].part)
		assert.Equal(t, counter{givenUp: 1}, *c)
	})
	t.Run("a line longer than max_line_bytes comes out in readable pieces", func(t *testing.T) {
		now, c := t0, &counter{}
		j := New(Settings{Mode: ModeRejoin, MaxLineBytes: 15_000, MaxWait: time.Second,
			GivenUp: func(n int64) { c.givenUp += n }, Rejoined: func(n int64) { c.rejoined += n }, Now: func() time.Time { return now }})
		out := run(t, j, token, body(pieces), true)
		require.Len(t, out, 3)
		var joined string
		for _, e := range out {
			assert.True(t, utf8.ValidString(e.msg))
			assert.True(t, e.part.Incomplete)
			joined += e.msg
		}
		assert.InDelta(t, len(line)-1, len(joined), 2*utf8.UTFMax, "at most the cut characters are lost")
		assert.Equal(t, counter{givenUp: 1}, *c, "one line given up")
		assert.Zero(t, j.Pending())
	})
	t.Run("a frame at the cut size that ends in LF is a whole line", func(t *testing.T) {
		j, _, _ := fixture(ModeRejoin)
		msg := header("web.1", 1) + strings.Repeat("x", ShuttleCutSize-1) + "\n"
		out := run(t, j, token, body([]string{msg}), true)
		require.Len(t, out, 1)
		assert.Equal(t, Part{}, out[0].part)
	})
	t.Run("a line of exactly 10,000 bytes and its LF is rejoined from a piece and an empty last piece", func(t *testing.T) {
		j, _, _ := fixture(ModeRejoin)
		exact := []byte(strings.Repeat("y", ShuttleCutSize) + "\n")
		out := run(t, j, token, body(shuttleCut(header("web.1", 1), exact)), true)
		require.Len(t, out, 1)
		assert.Equal(t, strings.Repeat("y", ShuttleCutSize), out[0].msg)
		assert.Equal(t, Part{Pieces: 2}, out[0].part)
	})
	t.Run("frames whose header did not parse pass through", func(t *testing.T) {
		j, _, _ := fixture(ModeRejoin)
		out := run(t, j, token, "14 not a syslog\n", true)
		require.Len(t, out, 1)
		assert.Equal(t, Part{}, out[0].part)
	})
}

func TestMarkedPieces(t *testing.T) {
	line := longLine(t, 25_000, shuttleCut)
	want := strings.TrimSuffix(string(line), "\n")
	pieces := shuttleCut(header("web.1", 1), line)

	t.Run("every piece is marked, readable, and together they are the line", func(t *testing.T) {
		j, _, c := fixture(ModeMark)
		first := run(t, j, token, body(pieces[:2]), true)
		rest := run(t, j, token, body(pieces[2:]), true)
		out := append(first, rest...)
		require.Len(t, out, 3)
		var joined string
		for i, e := range out {
			assert.True(t, utf8.ValidString(e.msg), "piece %d", i)
			assert.Equal(t, i, e.part.Index)
			assert.Equal(t, out[0].part.ID, e.part.ID)
			assert.Equal(t, i == 2, e.part.Last)
			joined += e.msg
		}
		assert.Len(t, out[0].part.ID, 16)
		assert.Equal(t, want, joined, "a cut character moves whole to the next piece")
		assert.Equal(t, counter{rejoined: 1}, *c)
	})
	t.Run("a retried request marks its pieces with the same id", func(t *testing.T) {
		a := run(t, newJoiner(ModeMark, &t0, &counter{}), token, body(pieces), true)
		b := run(t, newJoiner(ModeMark, &t0, &counter{}), token, body(pieces), true)
		assert.Equal(t, a, b)
	})
	t.Run("an expired marked line has nothing left to emit but is counted", func(t *testing.T) {
		j, now, c := fixture(ModeMark)
		run(t, j, token, body(pieces[:1]), true)
		assert.Empty(t, j.Expire(now.Add(time.Minute), false))
		assert.Equal(t, int64(1), c.givenUp)
	})
}

func TestOffPassesFramesAsReceived(t *testing.T) {
	j := New(Settings{Mode: ModeOff})
	assert.Nil(t, j)
	assert.Nil(t, j.Expire(t0, true))
	assert.Zero(t, j.Pending())
	pieces := shuttleCut(header("web.1", 1), longLine(t, 25_000, shuttleCut))
	out := run(t, j, token, body(pieces), true)
	require.Len(t, out, 3)
	for _, e := range out {
		assert.Equal(t, Part{}, e.part)
	}
}

func TestText(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"ASCII is kept", "abc", "abc"},
		{"whole characters are kept", "a€𝄞", "a€𝄞"},
		{"a character cut at the end is dropped", "ab\xe2\x82", "ab"},
		{"a 4-byte character cut after 3 bytes is dropped", "ab\xf0\x9d\x84", "ab"},
		{"the tail of a character cut at the start is dropped", "\x82\xacab", "ab"},
		{"both ends at once", "\x84\x9eab\xc3", "ab"},
		{"invalid bytes inside are not touched", "a\xffb", "a\xffb"},
		{"empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, string(text([]byte(tc.in))))
		})
	}
}
