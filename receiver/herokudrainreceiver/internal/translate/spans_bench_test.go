package translate

import (
	"bytes"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/logplex"
)

// BenchmarkBatchTraces: scan, classify and build a SERVER span per router
// line of the realistic batch (the optional traces pipeline alone).
func BenchmarkBatchTraces(b *testing.B) {
	set := benchSettings(false, false)
	set.Traces = true
	sc := logplex.NewScanner(nil, logplex.Options{})
	observed := pcommon.NewTimestampFromTime(time.Now())
	b.SetBytes(int64(len(benchBody)))
	b.ReportAllocs()
	spans := 0
	for b.Loop() {
		sc.Reset(bytes.NewReader(benchBody))
		batch := NewBatch(set, Resource{DrainToken: "d.fc6b856b-3332-4546-93de-7d0ee272c3bd"}, observed, benchFrames)
		for sc.Scan() {
			batch.Add(sc.Frame())
		}
		spans = batch.Traces().SpanCount()
	}
	if spans == 0 {
		b.Fatal("no spans built")
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*spans), "ns/span")
}
