package rejoin

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/logplex"
)

// The two ways Heroku cuts a long dyno line, reproduced from their public
// descriptions.

// shuttleCut cuts a dyno line as log-shuttle does: the line as read, with
// its trailing LF, is cut into 10,000-byte pieces; every piece becomes the
// message of its own syslog frame, all with the line's timestamp. Only the
// last piece ends in the LF.
func shuttleCut(header string, line []byte) []string {
	var msgs []string
	for i := 0; i < len(line); i += ShuttleCutSize {
		end := min(i+ShuttleCutSize, len(line))
		msgs = append(msgs, header+string(line[i:end]))
	}
	return msgs
}

// logplexCut cuts a line so that no syslog message (header included) is
// longer than Logplex's 10,240 bytes: every piece but the last fills its
// message to exactly that size, without a trailing LF.
func logplexCut(header string, line []byte) []string {
	room := LogplexCutSize - len(header)
	var msgs []string
	for i := 0; i < len(line); i += room {
		end := min(i+room, len(line))
		msgs = append(msgs, header+string(line[i:end]))
	}
	return msgs
}

// header is a Logplex header for dyno proc at the given second.
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

// run feeds a body through a new Session of j and ends it with delivered.
func run(t *testing.T, j *Joiner, token, drainBody string, delivered bool) []emitted {
	t.Helper()
	var out []emitted
	s := j.Begin(token, "", func(f *logplex.Frame, p Part) {
		out = append(out, emitted{proc: string(f.ProcID), msg: string(f.Message), part: p})
	})
	sc := logplex.NewScanner(strings.NewReader(drainBody), logplex.Options{SD: logplex.SDNone})
	for sc.Scan() {
		s.Add(sc.Frame())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	s.End(delivered)
	s.End(!delivered) // a second End must not change anything
	return out
}

// counter counts calls for the Rejoined / GivenUp hooks.
type counter struct{ rejoined, givenUp int64 }

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
