// Package framing holds the peer side of the framing benchmark: heroku/x
// logplex DrainScanner (inside Promtail's and Alloy's heroku_drain) and
// go-syslog's octet-counting parser (inside the collector's syslog
// receiver), on the same committed bodies as the receiver's own
// BenchmarkFraming (receiver/herokudrainreceiver/internal/logplex). The
// names line up, BenchmarkFraming/body=NAME/impl=IMPL, so benchstat can
// put them side by side:
//
//	benchstat -ignore pkg -col /impl bench/out/framing.txt
package framing

import (
	"bytes"
	"path/filepath"
	"runtime"
	"testing"

	herokux "github.com/heroku/x/logplex/encoding"
	syslog "github.com/leodido/go-syslog/v4"
	"github.com/leodido/go-syslog/v4/octetcounting"
	"github.com/leodido/go-syslog/v4/rfc5424"

	"github.com/herokudrain/herokudrain/bench/internal/bodies"
)

func loadBodies(tb testing.TB) []bodies.Body {
	tb.Helper()
	all, err := bodies.Load(filepath.Join("..", bodies.Dir))
	if err != nil {
		tb.Fatal(err)
	}
	return all
}

// perLine reports the per-line figures every framing benchmark prints.
func perLine(b *testing.B, body bodies.Body, mallocs0 uint64) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	lines := float64(b.N) * body.Lines()
	b.ReportMetric(lines/b.Elapsed().Seconds(), "lines/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/lines, "ns/line")
	b.ReportMetric(float64(ms.Mallocs-mallocs0)/lines, "allocs/line")
}

func mallocs() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.Mallocs
}

// herokuxFrames scans body with heroku/x's DrainScanner and returns the
// frames it decoded and the bytes of their messages.
func herokuxFrames(rd *bytes.Reader, body []byte) (n, size int, err error) {
	rd.Reset(body)
	s := herokux.NewDrainScanner(rd)
	for s.Scan() {
		m := s.Message()
		n++
		size += len(m.Message) + len(m.Application) + len(m.Process) + int(m.Priority)
	}
	return n, size, s.Err()
}

// gosyslogFrames parses body with go-syslog's octet-counting parser in
// best-effort mode (Heroku lines have no STRUCTURED-DATA, which strict
// RFC 5424 parsing rejects at the first frame) and returns the results and
// how many carried a parse error.
func gosyslogFrames(rd *bytes.Reader, body []byte) (n, withErr, size int) {
	rd.Reset(body)
	p := octetcounting.NewParser(
		syslog.WithBestEffort(),
		syslog.WithMachineOptions(rfc5424.WithBestEffort()),
		syslog.WithListener(func(r *syslog.Result) {
			n++
			if r.Error != nil {
				withErr++
			}
			if m, ok := r.Message.(*rfc5424.SyslogMessage); ok && m.Message != nil {
				size += len(*m.Message)
			}
		}))
	p.Parse(rd)
	return n, withErr, size
}

func BenchmarkFraming(b *testing.B) {
	peers := []struct {
		name  string
		frame func(rd *bytes.Reader, body []byte) error
	}{
		{"herokux", func(rd *bytes.Reader, body []byte) error { _, _, err := herokuxFrames(rd, body); return err }},
		{"gosyslog", func(rd *bytes.Reader, body []byte) error { gosyslogFrames(rd, body); return nil }},
	}
	for _, body := range loadBodies(b) {
		for _, peer := range peers {
			b.Run("body="+body.Name+"/impl="+peer.name, func(b *testing.B) {
				rd := bytes.NewReader(body.Data)
				b.SetBytes(int64(len(body.Data)))
				b.ReportAllocs()
				m0 := mallocs()
				for b.Loop() {
					if err := peer.frame(rd, body.Data); err != nil {
						b.Fatal(err)
					}
				}
				perLine(b, body, m0)
			})
		}
	}
}

// The peers must read every frame of every body, or the comparison would
// flatter them.
func TestPeersReadEveryFrame(t *testing.T) {
	for _, body := range loadBodies(t) {
		n, _, err := herokuxFrames(bytes.NewReader(nil), body.Data)
		if err != nil || n != body.Frames {
			t.Errorf("%s: heroku/x read %d of %d frames (%v)", body.Name, n, body.Frames, err)
		}
		n, _, _ = gosyslogFrames(bytes.NewReader(nil), body.Data)
		if n != body.Frames {
			t.Errorf("%s: go-syslog read %d of %d frames", body.Name, n, body.Frames)
		}
	}
}
