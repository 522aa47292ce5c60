package rejoin

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/logplex"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/logplextest"
)

// The two ways Heroku cuts a long dyno line come from logplextest
// (ShuttleSplit, LogplexSplit); these render them as syslog messages.

func shuttleCut(header string, line []byte) []string {
	return render(logplextest.ShuttleSplit(base(header), line))
}

func logplexCut(header string, line []byte) []string {
	return render(logplextest.LogplexSplit(base(header), line))
}

// base turns a header made by header() back into the message it starts.
func base(h string) logplextest.Message {
	return logplextest.Message{PRI: logplextest.PRIApp, Timestamp: strings.Fields(h)[1], AppName: "app", ProcID: strings.Fields(h)[4]}
}

func render(msgs []logplextest.Message) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = string(m.Syslog())
	}
	return out
}

// header is the Logplex header of dyno proc's line at the given second.
func header(proc string, sec int) string {
	return fmt.Sprintf("<190>1 2024-03-15T12:00:%02d.123456+00:00 host app %s - ", sec, proc)
}

// longLine builds an n-byte line (LF included) of 3-byte characters after
// a short ASCII prefix, chosen so that every piece cut would make ends
// inside a character: the case that used to turn bodies into bytes.
func longLine(t testing.TB, n int, cut func(string, []byte) []string) []byte {
	t.Helper()
	for prefix := 0; prefix < 3; prefix++ {
		line := []byte(strings.Repeat("a", prefix))
		for len(line)+3 <= n-1 {
			line = append(line, "€"...)
		}
		for len(line) < n-1 {
			line = append(line, 'z')
		}
		line = append(line, '\n')
		pieces := cut(header("web.1", 1), line)
		inside := true
		for _, p := range pieces[:len(pieces)-1] {
			inside = inside && !utf8.ValidString(p)
		}
		if inside {
			return line
		}
	}
	t.Fatal("no prefix makes every cut fall inside a character")
	return nil
}

// body frames syslog messages with octet counts, as Logplex sends them.
func body(msgs ...[]string) string {
	var b strings.Builder
	for _, group := range msgs {
		for _, m := range group {
			fmt.Fprintf(&b, "%d %s", len(m), m)
		}
	}
	return b.String()
}

// emitted is one frame a Session let through.
type emitted struct {
	proc string
	msg  string
	part Part
}

// sink records what a Session lets through.
type sink struct {
	out  []emitted
	read int // frames announced to CountRead
}

func (s *sink) AddPart(f *logplex.Frame, p Part) {
	if !p.Counted {
		s.read++
	}
	p.Counted = false // the tests compare parts without it
	s.out = append(s.out, emitted{proc: string(f.ProcID), msg: string(f.Message), part: p})
}

func (s *sink) CountRead(*logplex.Frame) { s.read++ }

// run feeds a body through a new Session of j and ends it with delivered.
// Every frame read must be counted once.
func run(t *testing.T, j *Joiner, token, drainBody string, delivered bool) []emitted {
	t.Helper()
	var out sink
	s := j.Begin(token, "", &out)
	sc := logplex.NewScanner(strings.NewReader(drainBody), logplex.Options{SD: logplex.SDNone})
	n := 0
	for sc.Scan() {
		s.Add(sc.Frame())
		n++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	s.End(delivered)
	s.End(!delivered) // a second End must not change anything
	if out.read != n {
		t.Errorf("%d frames read, %d counted", n, out.read)
	}
	return out.out
}

// counter counts calls for the Rejoined / GivenUp hooks.
type counter struct{ rejoined, givenUp int64 }

// fixture returns a Joiner for mode at t0, the clock it reads and its
// counters.
func fixture(mode Mode) (*Joiner, *time.Time, *counter) {
	now, c := t0, &counter{}
	return newJoiner(mode, &now, c), &now, c
}

// newJoiner returns a Joiner whose clock the test sets through *now.
func newJoiner(mode Mode, now *time.Time, c *counter) *Joiner {
	return New(Settings{
		Mode:         mode,
		MaxLineBytes: 1 << 20,
		MaxWait:      5 * time.Second,
		Rejoined:     func(n int64) { c.rejoined += n },
		GivenUp:      func(n int64) { c.givenUp += n },
		Now:          func() time.Time { return *now },
	})
}

// only returns the one frame out holds, failing the test if there are more.
func only(t *testing.T, out []emitted) emitted {
	t.Helper()
	if len(out) != 1 {
		t.Fatalf("%d frames came out, want 1", len(out))
	}
	return out[0]
}
