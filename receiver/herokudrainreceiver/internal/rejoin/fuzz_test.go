package rejoin

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/logplex"
)

// FuzzSessions feeds arbitrary drain bodies, split over two requests of one
// drain, through every mode. Whatever the frames, every frame read is
// counted once, nothing is held once the drain is flushed, and a record
// made of pieces (rejoined, or a marked piece) is text whenever the pieces
// together were.
func FuzzSessions(f *testing.F) {
	line := longLine(f, 25_000, shuttleCut)
	f.Add(body(shuttleCut(header("web.1", 1), line)), 1)
	f.Add(body(logplexCut(header("web.1", 1), line)), 2)
	f.Add(body(shuttleCut(header("web.1", 1), line)[:2], []string{header("web.1", 2) + "next\n"}), 1)
	f.Add("5 hello12 <1>1 - - - - -\n", 0)
	f.Fuzz(func(t *testing.T, drainBody string, cut int) {
		for _, mode := range []Mode{ModeRejoin, ModeMark} {
			j, now, _ := fixture(mode)
			cut := min(max(cut, 0), len(drainBody))
			parts := []string{drainBody[:cut], drainBody[cut:]}
			for _, part := range parts {
				var out sink
				s := j.Begin(token, "", &out)
				sc := logplex.NewScanner(strings.NewReader(part), logplex.Options{SD: logplex.SDNone})
				n := 0
				for sc.Scan() {
					s.Add(sc.Frame())
					n++
				}
				s.End(true)
				if out.read != n {
					t.Fatalf("%s: %d frames read, %d counted", mode, n, out.read)
				}
				for _, e := range out.out {
					if (e.part.Pieces > 1 || e.part.ID != "") && utf8.ValidString(strings.TrimSpace(part)) && !utf8.ValidString(e.msg) {
						t.Fatalf("%s: a record made of valid pieces is not text", mode)
					}
				}
			}
			j.Expire(now.Add(time.Hour), false)
			if j.Pending() != 0 {
				t.Fatalf("%s: %d lines still open after max_wait", mode, j.Pending())
			}
		}
	})
}
