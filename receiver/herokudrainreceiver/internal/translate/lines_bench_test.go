package translate

import (
	"strings"
	"testing"

	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/heroku"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/logplex"
)

const (
	benchRouterLine = `<158>1 2024-04-26T16:58:32.943253+00:00 host heroku router - at=info method=GET path="/api/items?page=2" host=my-app.example.com request_id=6903a168-b79b-ec27-03c8-b8f64d8d8792 fwd="138.68.186.89,10.1.2.3" dyno=web.1 connect=0ms service=12ms status=200 bytes=1532 protocol=http2.0 tls=true tls_version=tls1.3`
	benchDynoLine   = `<40>1 2024-03-15T09:26:53.589793+00:00 host heroku web.1 - State changed from starting to up`
)

// scanOne returns the single frame of one octet-counted line. The frame's
// slices stay valid because the scanner is not advanced again.
func scanOne(tb testing.TB, line string) logplex.Frame {
	tb.Helper()
	s := logplex.NewScanner(strings.NewReader(octetCount(line+"\n")), logplex.Options{})
	if !s.Scan() || s.Frame().Err != nil {
		tb.Fatalf("bad frame: %s", line)
	}
	return *s.Frame()
}

// benchPutLine measures putLine alone: the records it writes to are made
// (body and syslog header attributes, as addRecord does) with the timer
// stopped, 1024 at a time.
func benchPutLine(b *testing.B, line string) {
	f := scanOne(b, line)
	batch := newTestBatch()
	heroku.Classify(f.AppName, f.ProcID, f.Message, &batch.line)
	const chunk = 1024
	recs := make([]plog.LogRecord, chunk)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%chunk == 0 {
			b.StopTimer()
			fresh := newTestBatch()
			for j := range recs {
				lr := fresh.records.AppendEmpty()
				lr.Attributes().EnsureCapacity(recordAttrCapacity(&batch.line))
				setBody(lr.Body(), f.Message)
				fresh.putHeader(lr, &f)
				recs[j] = lr
			}
			b.StartTimer()
		}
		batch.putLine(recs[i%chunk], &batch.line)
	}
}

func BenchmarkPutLineRouter(b *testing.B) { benchPutLine(b, benchRouterLine) }
func BenchmarkPutLineDyno(b *testing.B)   { benchPutLine(b, benchDynoLine) }

// benchAdd measures a whole frame → record translation, for comparison.
func benchAdd(b *testing.B, line string) {
	f := scanOne(b, line)
	b.ReportAllocs()
	b.ResetTimer()
	var batch *Batch
	for i := 0; i < b.N; i++ {
		if i%1024 == 0 {
			batch = newTestBatch()
		}
		batch.Add(&f)
	}
}

func BenchmarkAddRouter(b *testing.B) { benchAdd(b, benchRouterLine) }
func BenchmarkAddDyno(b *testing.B)   { benchAdd(b, benchDynoLine) }
