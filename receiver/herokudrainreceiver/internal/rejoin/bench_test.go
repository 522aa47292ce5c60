package rejoin

import (
	"strings"
	"testing"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/logplex"
)

// discard is a Sink that keeps nothing.
type discard struct{}

func (discard) AddPart(*logplex.Frame, Part) {}
func (discard) CountRead(*logplex.Frame)     {}

// benchmarkSession runs one request's frames through a Session per
// iteration.
func benchmarkSession(b *testing.B, drainBody string) {
	var frames []logplex.Frame
	sc := logplex.NewScanner(strings.NewReader(drainBody), logplex.Options{SD: logplex.SDNone})
	for sc.Scan() {
		f := *sc.Frame()
		f.Raw, f.Message = []byte(string(f.Raw)), []byte(string(f.Message))
		f.AppName, f.ProcID = []byte(string(f.AppName)), []byte(string(f.ProcID))
		frames = append(frames, f)
	}
	j, _, _ := fixture(ModeRejoin)
	b.SetBytes(int64(len(drainBody)))
	b.ReportAllocs()
	for b.Loop() {
		s := j.Begin(token, "", discard{})
		for i := range frames {
			s.Add(&frames[i])
		}
		s.End(true)
	}
}

// BenchmarkOrdinaryLines is the cost on the common path: 100 short lines,
// none cut.
func BenchmarkOrdinaryLines(b *testing.B) {
	var msgs []string
	for range 100 {
		msgs = append(msgs, header("web.1", 1)+"GET /health 200 1ms\n")
	}
	benchmarkSession(b, body(msgs))
}

// BenchmarkRejoin25KB rejoins a 25,000-byte line from log-shuttle's pieces.
func BenchmarkRejoin25KB(b *testing.B) {
	benchmarkSession(b, body(shuttleCut(header("web.1", 1), longLine(b, 25_000, shuttleCut))))
}
