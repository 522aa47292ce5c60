package logplex

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
)

// The committed drain bodies that the bench/ module also reads for the
// peers' framing (heroku/x DrainScanner, go-syslog octet counting). The
// benchmark names match theirs, BenchmarkFraming/body=NAME/impl=IMPL, so
// `make bench` prints one side-by-side table and benchstat can compare
// them (benchstat -ignore pkg -col /impl).
const drainsDir = "../../../../testdata/drains"

type namedBody struct {
	name string
	data []byte
}

func committedBodies(tb testing.TB) []namedBody {
	tb.Helper()
	var out []namedBody
	for _, pat := range []string{"*.logplex", "bench/*.logplex"} {
		files, err := filepath.Glob(filepath.Join(drainsDir, pat))
		if err != nil {
			tb.Fatal(err)
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				tb.Fatal(err)
			}
			out = append(out, namedBody{strings.TrimSuffix(filepath.Base(f), ".logplex"), data})
		}
	}
	if len(out) == 0 {
		tb.Fatalf("no drain bodies under %s", drainsDir)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// scanBody frames and header-parses every frame of body and returns the
// frame count and how many failed.
func scanBody(s *Scanner, rd *bytes.Reader, body []byte) (frames, bad, sink int) {
	rd.Reset(body)
	s.Reset(rd)
	for s.Scan() {
		f := s.Frame()
		frames++
		if f.Err != nil {
			bad++
		}
		sink += len(f.Message) + len(f.AppName) + len(f.ProcID) + f.Priority
	}
	return frames, bad, sink
}

func BenchmarkFraming(b *testing.B) {
	for _, body := range committedBodies(b) {
		b.Run("body="+body.name+"/impl=herokudrain", func(b *testing.B) {
			rd := bytes.NewReader(body.data)
			s := NewScanner(rd, Options{})
			frames, _, _ := scanBody(s, rd, body.data)
			b.SetBytes(int64(len(body.data)))
			b.ReportAllocs()
			var ms0, ms1 runtime.MemStats
			runtime.ReadMemStats(&ms0)
			for b.Loop() {
				scanBody(s, rd, body.data)
			}
			runtime.ReadMemStats(&ms1)
			lines := float64(b.N) * float64(frames)
			b.ReportMetric(lines/b.Elapsed().Seconds(), "lines/s")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/lines, "ns/line")
			b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/lines, "allocs/line")
		})
	}
}

// The framing benchmark only means something if every committed body is
// read whole and without a bad frame.
func TestCommittedBodiesFrameCleanly(t *testing.T) {
	for _, body := range committedBodies(t) {
		rd := bytes.NewReader(body.data)
		frames, bad, _ := scanBody(NewScanner(rd, Options{}), rd, body.data)
		if frames == 0 || bad != 0 {
			t.Errorf("%s: %d frames, %d bad", body.name, frames, bad)
		}
	}
}
