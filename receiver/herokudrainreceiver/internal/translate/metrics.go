package translate // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"

import (
	"bytes"
	"math"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/herokudrain/herokudrain/internal/heroku"
	"github.com/herokudrain/herokudrain/internal/logplex"
)

var samplePrefix = []byte("sample#")

// addMetrics records the measurements a good frame carries.
func (b *Batch) addMetrics(f *logplex.Frame, line *heroku.Line) {
	if line == nil {
		return
	}
	ts := b.observed
	if f.TimestampValid {
		ts = pcommon.NewTimestampFromTime(f.Timestamp)
	}
	switch line.Kind {
	case heroku.KindRuntimeMetrics:
		b.addRuntime(f, &line.Runtime, ts)
	default:
		if bytes.Contains(f.Message, samplePrefix) {
			b.addSamples(f.Message, ts)
		}
	}
}

// addRuntime records a log-runtime-metrics line through the builder
// generated from metadata.yaml.
func (b *Batch) addRuntime(f *logplex.Frame, s *heroku.RuntimeSample, ts pcommon.Timestamp) {
	dyno := s.Source
	if len(dyno) == 0 {
		dyno = f.ProcID // old lines lack source=; the procid is the dyno
	}
	name, id := intern(dyno), string(s.DynoID)
	mb := b.set.Builder
	for m := heroku.RuntimeMetric(0); m < heroku.NumRuntimeMetrics; m++ {
		v, ok := s.Get(m)
		if !ok {
			continue
		}
		switch m {
		case heroku.RuntimeMemoryTotal:
			mb.RecordHerokuDynoMemoryTotalDataPoint(ts, round(v), name, id)
		case heroku.RuntimeMemoryRSS:
			mb.RecordHerokuDynoMemoryRssDataPoint(ts, round(v), name, id)
		case heroku.RuntimeMemoryCache:
			mb.RecordHerokuDynoMemoryCacheDataPoint(ts, round(v), name, id)
		case heroku.RuntimeMemorySwap:
			mb.RecordHerokuDynoMemorySwapDataPoint(ts, round(v), name, id)
		case heroku.RuntimeMemoryQuota:
			mb.RecordHerokuDynoMemoryQuotaDataPoint(ts, round(v), name, id)
		case heroku.RuntimeMemoryPgpgin:
			mb.RecordHerokuDynoMemoryPgpginDataPoint(ts, round(v), name, id)
		case heroku.RuntimeMemoryPgpgout:
			mb.RecordHerokuDynoMemoryPgpgoutDataPoint(ts, round(v), name, id)
		case heroku.RuntimeLoadAvg1m:
			mb.RecordHerokuDynoLoadAverage1mDataPoint(ts, v, name, id)
		case heroku.RuntimeLoadAvg5m:
			mb.RecordHerokuDynoLoadAverage5mDataPoint(ts, v, name, id)
		case heroku.RuntimeLoadAvg15m:
			mb.RecordHerokuDynoLoadAverage15mDataPoint(ts, v, name, id)
		}
	}
}

// addSamples turns every sample#key=value of a line into a gauge named
// after its key, with the unit taken from the value's suffix.
func (b *Batch) addSamples(msg []byte, ts pcommon.Timestamp) {
	var source []byte
	if v, ok := heroku.LookupKV(msg, "source"); ok {
		source = v
	}
	s := heroku.NewKVScanner(msg)
	for s.Next() {
		key := s.Key()
		if !bytes.HasPrefix(key, samplePrefix) || len(key) == len(samplePrefix) {
			continue
		}
		raw, suffix, ok := heroku.ParseSample(s.Value())
		if !ok {
			continue
		}
		v, unit, ok := heroku.Normalize(raw, suffix)
		if !ok {
			continue
		}
		attrs := b.extra.gauge(string(key[len(samplePrefix):]), unit, "", ts, v)
		if len(source) > 0 {
			attrs.PutStr(AttrL2metSource, string(source))
		}
	}
}

func round(v float64) int64 { return int64(math.Round(v)) }
