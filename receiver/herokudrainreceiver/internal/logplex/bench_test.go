package logplex

import (
	"bufio"
	"bytes"
	"fmt"
	"runtime"
	"testing"
)

// benchBody is a realistic ~100 KB drain POST (Logplex's target batch):
// router lines, app lines and runtime-metric pairs, octet-counted.
func benchBody() ([]byte, int) {
	var b bytes.Buffer
	n := 0
	for i := 0; b.Len() < 102400-400; i++ {
		var m string
		switch i % 8 {
		case 0, 2, 4, 5, 6:
			m = fmt.Sprintf("<158>1 2025-03-14T09:26:%02d.%06d+00:00 host heroku router - at=info method=GET path=\"/api/v1/items/%d?page=2\" host=myapp-1234567890ab.herokuapp.com request_id=%08x-6a83-4c12-8269-97c8e32cdb22 fwd=\"204.204.204.%d\" dyno=web.%d connect=1ms service=%dms status=200 bytes=%d protocol=https tls_version=tls1.3\n",
				i%60, i*7919%1000000, i, i*2654435761, i%255, i%4+1, i%300, 1000+i)
		case 1:
			m = fmt.Sprintf("<190>1 2025-03-14T09:26:%02d.%06d+00:00 host app web.%d - Completed 200 OK in %dms (Views: 3.1ms | ActiveRecord: 1.2ms | Allocations: %d)\n",
				i%60, i*104729%1000000, i%4+1, i%97, i*31)
		case 3:
			m = "<134>1 2025-03-14T09:26:53.589793+00:00 host heroku web.1 - " + loadText + "\n"
		case 7:
			m = "<134>1 2025-03-14T09:26:53.689793+00:00 host heroku web.1 - " + memText + "\n"
		}
		b.WriteString(frame(m))
		n++
	}
	return b.Bytes(), n
}

func BenchmarkScanner(b *testing.B) {
	body, nframes := benchBody()
	rd := bytes.NewReader(body)
	s := NewScanner(rd, Options{})
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	sink := 0
	iters := 0
	for b.Loop() {
		rd.Reset(body)
		s.Reset(rd)
		for s.Scan() {
			f := s.Frame()
			if f.Err != nil {
				b.Fatal(f.Err)
			}
			sink += len(f.Message) + f.Priority + len(f.ProcID)
		}
		iters++
	}
	runtime.ReadMemStats(&ms1)
	if iters > 0 {
		total := float64(iters * nframes)
		b.ReportMetric(total/b.Elapsed().Seconds(), "frames/s")
		b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/total, "allocs/frame")
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/total, "ns/frame")
	}
	b.ReportMetric(float64(nframes), "frames/body")
	_ = sink
}

// BenchmarkBaselineSplitLines is the naive approach (bufio.Scanner on LF,
// as Vector's heroku_logs does): no header parsing, wrong on L10 lines. It
// is here so a bench script can print our ratio against it.
func BenchmarkBaselineSplitLines(b *testing.B) {
	body, nframes := benchBody()
	rd := bytes.NewReader(body)
	buf := make([]byte, 64<<10)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	sink, iters := 0, 0
	for b.Loop() {
		rd.Reset(body)
		sc := bufio.NewScanner(rd)
		sc.Buffer(buf, len(buf))
		for sc.Scan() {
			sink += len(sc.Bytes())
		}
		iters++
	}
	if iters > 0 {
		total := float64(iters * nframes)
		b.ReportMetric(total/b.Elapsed().Seconds(), "frames/s")
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/total, "ns/frame")
	}
	_ = sink
}

func BenchmarkParseHeader(b *testing.B) {
	for _, tc := range []struct{ name, msg string }{
		{"router", routerMsg},
		{"runtime-metrics", memMsg},
		{"offset-timestamp", "<190>1 2010-10-14T01:02:03.123-07:00 host app web.1 - hello\n"},
		{"sd-auto", `<190>1 2025-03-14T09:26:53Z host app web.1 - [origin ip="10.0.0.1"] hello` + "\n"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			msg := []byte(tc.msg)
			mode := SDNone
			if tc.name == "sd-auto" {
				mode = SDAuto
			}
			var f Frame
			b.SetBytes(int64(len(msg)))
			b.ReportAllocs()
			for b.Loop() {
				if err := parseHeaderOnly(msg, mode, &f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestBenchBodyIsRealistic(t *testing.T) {
	body, n := benchBody()
	out, st := scan(t, string(body), Options{})
	if st.Malformed != 0 || len(out) != n || len(body) > 102400 || len(body) < 95000 {
		t.Fatalf("%d bytes, %d frames, %+v", len(body), n, st)
	}
}
