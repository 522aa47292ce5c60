package translate

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/logplex"
)

// drainsDir holds the committed drain bodies shared with the bench/ module
// (see BenchmarkFraming in internal/logplex); generated ones are in bench/.
const drainsDir = "../../../../testdata/drains"

// translateBody scans body and translates every frame into one batch, as
// the receiver does for a request, then builds both signals.
func translateBody(sc *logplex.Scanner, set Settings, body []byte, frames int) *Batch {
	sc.Reset(bytes.NewReader(body))
	batch := NewBatch(set, Resource{DrainToken: "d.fc6b856b-3332-4546-93de-7d0ee272c3bd"},
		pcommon.NewTimestampFromTime(time.Now()), frames)
	for sc.Scan() {
		batch.Add(sc.Frame())
	}
	_ = batch.Logs()
	_ = batch.Metrics()
	return batch
}

// BenchmarkTranslate is the full per-line translation (frame -> pdata logs
// and metrics, both pipelines on) over the committed bodies, framing
// included. `make bench` sets it beside BenchmarkFraming of the same body.
func BenchmarkTranslate(b *testing.B) {
	for _, name := range []string{"sample", "router", "runtime", "bench/router-100k", "bench/runtime-100k", "bench/mixed-100k"} {
		body, err := os.ReadFile(filepath.Join(drainsDir, name+".logplex"))
		if err != nil {
			b.Fatal(err)
		}
		b.Run("body="+strings.TrimPrefix(name, "bench/")+"/impl=herokudrain", func(b *testing.B) {
			set := benchSettings(true, true)
			sc := logplex.NewScanner(nil, logplex.Options{})
			frames := translateBody(sc, set, body, 0).Counts().Frames
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			var ms0, ms1 runtime.MemStats
			runtime.ReadMemStats(&ms0)
			for b.Loop() {
				translateBody(sc, set, body, frames)
			}
			runtime.ReadMemStats(&ms1)
			lines := float64(b.N) * float64(frames)
			b.ReportMetric(lines/b.Elapsed().Seconds(), "lines/s")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/lines, "ns/line")
			b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/lines, "allocs/line")
		})
	}
}

func TestCommittedBodiesTranslateWhole(t *testing.T) {
	for _, name := range []string{"bench/router-100k", "bench/runtime-100k", "bench/mixed-100k"} {
		body, err := os.ReadFile(filepath.Join(drainsDir, name+".logplex"))
		if err != nil {
			t.Fatal(err)
		}
		c := translateBody(logplex.NewScanner(nil, logplex.Options{}), benchSettings(true, true), body, 0).Counts()
		if c.Frames < 300 || c.Malformed != 0 {
			t.Errorf("%s: %+v", name, c)
		}
	}
}
