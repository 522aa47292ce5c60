package heroku

// log-runtime-metrics lines (docs/heroku-formats.md, "Log runtime metrics"): APP-NAME "heroku", PROCID the
// dyno ("web.1"), about every 20 s per dyno as two separate messages:
//
//	source=web.1 dyno=heroku.2808254.d97d0ea7-… sample#load_avg_1m=2.46 sample#load_avg_5m=1.06 sample#load_avg_15m=0.99
//	source=web.1 dyno=heroku.2808254.d97d0ea7-… sample#memory_total=21.00MB … sample#memory_pgpgout=343403pages sample#memory_quota=512.00MB

// RuntimeMetric names one of the known log-runtime-metrics samples.
type RuntimeMetric uint8

// The runtime samples Heroku emits, in RuntimeTable order.
const (
	RuntimeMemoryTotal RuntimeMetric = iota
	RuntimeMemoryRSS
	RuntimeMemoryCache
	RuntimeMemorySwap
	RuntimeMemoryQuota
	RuntimeMemoryPgpgin
	RuntimeMemoryPgpgout
	RuntimeLoadAvg1m
	RuntimeLoadAvg5m
	RuntimeLoadAvg15m
	NumRuntimeMetrics // number of known runtime samples
)

// RuntimeTable describes every known runtime sample, indexed by
// RuntimeMetric: the key as logged and the unit its value is normalised
// into (memory to bytes, Heroku's "MB" being MiB, see unitTable; page counts
// stay counts). The metric each becomes is declared once, in the receiver's
// metadata.yaml, and recorded through the builder generated from it (a test
// there checks that each sample lands in one metric of this unit), so the
// entries carry no Name. The dyno UUID (DynoID) is deliberately not an
// attribute: it changes on every restart, and the formation name (Source)
// is the stable identity.
var RuntimeTable = [NumRuntimeMetrics]MetricInfo{
	RuntimeMemoryTotal: {Key: "memory_total", Unit: "By"},
	RuntimeMemoryRSS:   {Key: "memory_rss", Unit: "By"},
	RuntimeMemoryCache: {Key: "memory_cache", Unit: "By"},
	RuntimeMemorySwap:  {Key: "memory_swap", Unit: "By"},
	RuntimeMemoryQuota: {Key: "memory_quota", Unit: "By"},
	// pgpgin/pgpgout are running totals (Kind says so); the receiver reports
	// them as gauges, as logged, since their start is unknown.
	RuntimeMemoryPgpgin:  {Key: "memory_pgpgin", Unit: "{page}", Kind: MetricCounter},
	RuntimeMemoryPgpgout: {Key: "memory_pgpgout", Unit: "{page}", Kind: MetricCounter},
	RuntimeLoadAvg1m:     {Key: "load_avg_1m", Unit: "{thread}"},
	RuntimeLoadAvg5m:     {Key: "load_avg_5m", Unit: "{thread}"},
	RuntimeLoadAvg15m:    {Key: "load_avg_15m", Unit: "{thread}"},
}

// Info returns the table entry for m, or nil if m is out of range.
func (m RuntimeMetric) Info() *MetricInfo {
	if m < NumRuntimeMetrics {
		return &RuntimeTable[m]
	}
	return nil
}

// runtimeMetricOf maps a sample name (after "sample#") to its enum.
func runtimeMetricOf(name []byte) (RuntimeMetric, bool) {
	switch string(name) {
	case "memory_total":
		return RuntimeMemoryTotal, true
	case "memory_rss":
		return RuntimeMemoryRSS, true
	case "memory_cache":
		return RuntimeMemoryCache, true
	case "memory_swap":
		return RuntimeMemorySwap, true
	case "memory_quota":
		return RuntimeMemoryQuota, true
	case "memory_pgpgin":
		return RuntimeMemoryPgpgin, true
	case "memory_pgpgout":
		return RuntimeMemoryPgpgout, true
	case "load_avg_1m":
		return RuntimeLoadAvg1m, true
	case "load_avg_5m":
		return RuntimeLoadAvg5m, true
	case "load_avg_15m":
		return RuntimeLoadAvg15m, true
	}
	return 0, false
}

// RuntimeSample is one parsed runtime-metrics line. Its byte fields alias
// the message; reuse one value across lines to avoid allocation.
type RuntimeSample struct {
	// Source is the formation name from source= ("web.1"); empty if the
	// line has none, in which case the PROCID names the dyno.
	Source []byte
	// DynoID is the dyno= instance id ("heroku.2808254.d97d…"), empty in
	// old lines. It changes on every restart.
	DynoID []byte
	// Values holds the normalised value of each metric present (see Has).
	Values [NumRuntimeMetrics]float64
	// Unknown counts sample# pairs that were not understood: a name not in
	// RuntimeTable, or a value that is not a number in the expected unit.
	Unknown int
	present uint16
}

// Has reports whether the line carried metric m.
func (s *RuntimeSample) Has(m RuntimeMetric) bool {
	return m < NumRuntimeMetrics && s.present&(1<<m) != 0
}

// Get returns metric m's normalised value and whether the line carried it.
func (s *RuntimeSample) Get(m RuntimeMetric) (float64, bool) {
	if !s.Has(m) {
		return 0, false
	}
	return s.Values[m], true
}

// Len returns how many known metrics the line carried.
func (s *RuntimeSample) Len() int {
	n := 0
	for p := s.present; p != 0; p &= p - 1 {
		n++
	}
	return n
}

// ParseRuntime parses a log-runtime-metrics message into s (overwriting
// it) and reports whether it held at least one known sample. Missing
// fields are fine: 2015 lines lack memory_quota and sometimes dyno=, and
// one-off dynos omit load_avg_15m. The caller is expected to have checked
// APP-NAME "heroku" and a dyno PROCID; an app printing the same syntax on
// its own channel is l2met's business (ParseL2met).
func ParseRuntime(msg []byte, s *RuntimeSample) bool {
	*s = RuntimeSample{}
	s.Source, s.DynoID = walkSamples(msg, "dyno", func(key, val []byte) {
		m, known := runtimeMetricOf(key)
		if !known {
			s.Unknown++
			return
		}
		v, raw, ok := ParseSample(val)
		if ok {
			v, ok = valueIn(v, raw, RuntimeTable[m].Unit)
		}
		if !ok {
			s.Unknown++
			return
		}
		s.Values[m] = v
		s.present |= 1 << m
	})
	return s.present != 0
}

// walkSamples reads the key=value pairs of a Heroku metrics line (runtime
// or add-on): it calls sample with each sample# key (without the prefix)
// and its value, in order, and returns the values of source= and of
// otherKey= (dyno, addon), the last one of each if repeated.
func walkSamples(msg []byte, otherKey string, sample func(key, val []byte)) (source, other []byte) {
	const prefix = "sample#"
	for {
		key, val, _, rest, ok := NextKV(msg)
		if !ok {
			return source, other
		}
		msg = rest
		switch {
		case string(key) == "source":
			source = val
		case string(key) == otherKey:
			other = val
		case len(key) > len(prefix) && string(key[:len(prefix)]) == prefix:
			sample(key[len(prefix):], val)
		}
	}
}

// valueIn converts a parsed sample value with suffix raw into unit. A
// value without a suffix is taken to be in unit already: Heroku writes
// tmp-disk-used in bytes with no suffix, and load averages and ratios have
// none. A suffix that converts to another unit is rejected, not guessed.
// Runtime and add-on lines share it.
func valueIn(v float64, raw []byte, unit string) (float64, bool) {
	if len(raw) == 0 {
		return v, true
	}
	ucum, f, ok := NormalizeUnit(raw)
	if !ok || ucum != unit {
		return 0, false
	}
	return v * f, true
}
