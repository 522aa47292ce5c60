package translate

import (
	"bufio"
	"bytes"
	"fmt"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/logplex"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/metadata"
)

// benchBody is a realistic Logplex batch just under Logplex's 100 KB target:
// mostly router lines, then app output, runtime metrics, a Postgres line and
// some platform events, in the proportions a busy web app produces.
var benchBody, benchFrames = func() ([]byte, int) {
	lines := []string{
		routerOK1, routerOK2, routerOK1, routerOK2, routerH12, routerOK1, routerOK2,
		"<190>1 2024-03-15T12:10:39.123456+00:00 host app web.1 - I, [2024-03-15T12:10:39.123456 #12]  INFO -- : Completed 200 OK in 18ms (Views: 7.1ms | ActiveRecord: 4.2ms)\n",
		"<190>1 2024-03-15T12:10:39.223456+00:00 host app worker.1 - source=checkout count#orders.placed measure#db.latency=12.5ms\n",
		"<45>1 2024-03-15T12:10:39.323456+00:00 host heroku web.1 - source=web.1 dyno=heroku.2808254.d97d0ea7-cf3d-411b-b453-d2943a50b456 sample#memory_total=180.43MB sample#memory_rss=170.22MB sample#memory_cache=10.21MB sample#memory_swap=0.00MB sample#memory_pgpgin=348836pages sample#memory_pgpgout=343403pages sample#memory_quota=512.00MB\n",
		"<45>1 2024-03-15T12:10:39.423456+00:00 host heroku web.1 - State changed from starting to up\n",
	}
	var body bytes.Buffer
	frames := 0
	for i := 0; body.Len() < 100_000; i++ {
		l := lines[i%len(lines)]
		fmt.Fprintf(&body, "%d %s", len(l), l)
		frames++
	}
	l := postgresLine
	fmt.Fprintf(&body, "%d %s", len(l), l)
	return body.Bytes(), frames + 1
}()

func benchSettings(logs, metrics bool) Settings {
	mbc := metadata.DefaultMetricsBuilderConfig()
	return Settings{
		Logs: logs, Metrics: metrics,
		Builder:            metadata.NewMetricsBuilder(mbc, receivertest.NewNopSettings(metadata.Type)),
		ResourceAttributes: mbc.ResourceAttributes,
		Dynos:              NewDynoTracker(time.Minute, 100, 100),
	}
}

func benchmarkBatch(b *testing.B, logs, metrics bool) {
	set := benchSettings(logs, metrics)
	sc := logplex.NewScanner(nil, logplex.Options{})
	observed := pcommon.NewTimestampFromTime(time.Now())
	b.SetBytes(int64(len(benchBody)))
	b.ReportAllocs()
	for b.Loop() {
		sc.Reset(bytes.NewReader(benchBody))
		batch := NewBatch(set, Resource{DrainToken: "d.fc6b856b-3332-4546-93de-7d0ee272c3bd"}, observed, benchFrames)
		for sc.Scan() {
			batch.Add(sc.Frame())
		}
		if logs && batch.Logs().LogRecordCount() != benchFrames {
			b.Fatalf("records %d, frames %d", batch.Logs().LogRecordCount(), benchFrames)
		}
		if metrics {
			_ = batch.Metrics()
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchFrames), "ns/frame")
	b.ReportMetric(float64(b.N*benchFrames)/b.Elapsed().Seconds(), "frames/s")
}

// BenchmarkBatchLogs: scan, classify and build one attributed record per frame.
func BenchmarkBatchLogs(b *testing.B) { benchmarkBatch(b, true, false) }

// BenchmarkBatchMetrics: scan, classify and build the derived metrics.
func BenchmarkBatchMetrics(b *testing.B) { benchmarkBatch(b, false, true) }

// BenchmarkBatchBoth: both pipelines, as `make run` configures them.
func BenchmarkBatchBoth(b *testing.B) { benchmarkBatch(b, true, true) }

// BenchmarkBaselineNaiveLogs is the receiver most drains start as: split the
// body on LF and emit each line as a record body, with no framing, header,
// timestamp or meaning. Ours does far more; the ratio shows what it costs.
func BenchmarkBaselineNaiveLogs(b *testing.B) {
	b.SetBytes(int64(len(benchBody)))
	b.ReportAllocs()
	for b.Loop() {
		ld := plog.NewLogs()
		recs := ld.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords()
		s := bufio.NewScanner(bytes.NewReader(benchBody))
		for s.Scan() {
			recs.AppendEmpty().Body().SetStr(s.Text())
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchFrames), "ns/frame")
}
