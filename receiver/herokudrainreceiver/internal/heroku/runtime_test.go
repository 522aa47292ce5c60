package heroku

import (
	"math"
	"testing"
)

const mib = 1 << 20

// Runtime-metric lines (docs/heroku-formats.md, "Log runtime metrics"),
// as documented unless marked.
const (
	runtimeLoadLine = "source=web.1 dyno=heroku.2808254.d97d0ea7-cf3d-411b-b453-d2943a50b456 sample#load_avg_1m=2.46 sample#load_avg_5m=1.06 sample#load_avg_15m=0.99"
	runtimeMemLine  = "source=web.1 dyno=heroku.2808254.d97d0ea7-cf3d-411b-b453-d2943a50b456 sample#memory_total=21.00MB sample#memory_rss=21.22MB sample#memory_cache=0.00MB sample#memory_swap=0.00MB sample#memory_pgpgin=348836pages sample#memory_pgpgout=343403pages"
)

func TestParseRuntime(t *testing.T) {
	const dynoID = "heroku.2808254.d97d0ea7-cf3d-411b-b453-d2943a50b456"
	type want map[RuntimeMetric]float64
	tests := []struct {
		name    string
		line    string
		source  string
		dyno    string
		want    want
		unknown int
	}{
		{"load line gives three load averages", runtimeLoadLine, "web.1", dynoID,
			want{RuntimeLoadAvg1m: 2.46, RuntimeLoadAvg5m: 1.06, RuntimeLoadAvg15m: 0.99}, 0},
		{"memory line gives bytes and page counts", runtimeMemLine, "web.1", dynoID,
			want{RuntimeMemoryTotal: 21 * mib, RuntimeMemoryRSS: 21.22 * mib, RuntimeMemoryCache: 0, RuntimeMemorySwap: 0,
				RuntimeMemoryPgpgin: 348836, RuntimeMemoryPgpgout: 343403}, 0},
		// The memory line with the 2016+ memory_quota appended (the documentation quotes the field alone).
		{"memory_quota of a 512 MB dyno is its 2^29-byte cgroup limit", runtimeMemLine + " sample#memory_quota=512.00MB", "web.1", dynoID,
			want{RuntimeMemoryTotal: 21 * mib, RuntimeMemoryRSS: 21.22 * mib, RuntimeMemoryCache: 0, RuntimeMemorySwap: 0,
				RuntimeMemoryPgpgin: 348836, RuntimeMemoryPgpgout: 343403, RuntimeMemoryQuota: 1 << 29}, 0},
		// One-off dynos without load_avg_15m; source/dyno completed plausibly.
		{"one-off dyno without load_avg_15m", "source=run.2660 dyno=heroku.2808254.0f1c sample#load_avg_1m=0.48 sample#load_avg_5m=0.41",
			"run.2660", "heroku.2808254.0f1c", want{RuntimeLoadAvg1m: 0.48, RuntimeLoadAvg5m: 0.41}, 0},
		// 2015 lines without dyno= (constructed from the memory line).
		{"2015 line without dyno= or quota", "source=web.2 sample#memory_total=180.43MB sample#memory_rss=170.00MB",
			"web.2", "", want{RuntimeMemoryTotal: 180.43 * mib, RuntimeMemoryRSS: 170 * mib}, 0},
		{"unknown sample names are counted, not fatal", "source=web.1 sample#memory_rss=1.00MB sample#cpu_pct=3.2",
			"web.1", "", want{RuntimeMemoryRSS: mib}, 1},
		{"memory in a non-byte unit is rejected", "source=web.1 sample#memory_rss=12ms sample#load_avg_1m=x",
			"web.1", "", want{}, 2},
		{"no samples at all", "source=web.1 dyno=heroku.1.abc", "web.1", "heroku.1.abc", want{}, 0},
		{"empty message", "", "", "", want{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s RuntimeSample
			ok := ParseRuntime([]byte(tt.line), &s)
			if ok != (len(tt.want) > 0) {
				t.Errorf("ok = %v with %d expected samples", ok, len(tt.want))
			}
			if string(s.Source) != tt.source || string(s.DynoID) != tt.dyno {
				t.Errorf("source, dyno = %q, %q; want %q, %q", s.Source, s.DynoID, tt.source, tt.dyno)
			}
			if s.Unknown != tt.unknown {
				t.Errorf("Unknown = %d, want %d", s.Unknown, tt.unknown)
			}
			if s.Len() != len(tt.want) {
				t.Errorf("Len = %d, want %d", s.Len(), len(tt.want))
			}
			for m := RuntimeMetric(0); m < NumRuntimeMetrics; m++ {
				got, has := s.Get(m)
				w, should := tt.want[m]
				if has != should || math.Abs(got-w) > 1e-6 {
					t.Errorf("%s = %v (%v), want %v (%v)", RuntimeTable[m].Key, got, has, w, should)
				}
			}
		})
	}
}

func TestRuntimeTableIsIndexedByMetric(t *testing.T) {
	for m := RuntimeMetric(0); m < NumRuntimeMetrics; m++ {
		info := m.Info()
		if got, ok := runtimeMetricOf([]byte(info.Key)); !ok || got != m {
			t.Errorf("%s does not map back to %d", info.Key, m)
		}
		if info.Unit == "" {
			t.Errorf("%s: incomplete entry %+v", info.Key, info)
		}
	}
	if RuntimeMetric(NumRuntimeMetrics).Info() != nil {
		t.Error("out-of-range Info is not nil")
	}
	if RuntimeTable[RuntimeMemoryPgpgin].Kind != MetricCounter || RuntimeTable[RuntimeMemoryRSS].Kind != MetricGauge {
		t.Error("pgpgin must be a counter and memory_rss a gauge (Log Runtime Metrics)")
	}
}

func TestParseRuntimeDoesNotAllocate(t *testing.T) {
	line := []byte(benchRuntimeMemLine)
	var s RuntimeSample
	if a := testing.AllocsPerRun(100, func() { ParseRuntime(line, &s) }); a != 0 {
		t.Errorf("%v allocs", a)
	}
}

func FuzzRuntime(f *testing.F) {
	for _, s := range []string{runtimeLoadLine, runtimeMemLine, benchRuntimeMemLine, "", "sample#", "sample#memory_rss=",
		"sample#load_avg_1m=1e3 sample#memory_swap=-1kB", `source="a b" sample#memory_total="3MB"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var s RuntimeSample
		ok := ParseRuntime(b, &s)
		if ok != (s.Len() > 0) {
			t.Fatalf("ok = %v but Len = %d", ok, s.Len())
		}
		for m := RuntimeMetric(0); m < NumRuntimeMetrics; m++ {
			if v, has := s.Get(m); has && (math.IsNaN(v) || math.IsInf(v, 0)) {
				t.Fatalf("%s = %v", RuntimeTable[m].Key, v)
			}
		}
	})
}

func BenchmarkParseRuntime(b *testing.B) {
	line := []byte(benchRuntimeMemLine)
	var s RuntimeSample
	b.ReportAllocs()
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		ParseRuntime(line, &s)
	}
}
