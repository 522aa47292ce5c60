package heroku

// Heroku Postgres and Heroku Data for Redis metric lines (docs/heroku-formats.md,
// "Heroku Postgres metrics", "Heroku Redis metrics"): APP-NAME "app", PROCID "heroku-postgres" or "heroku-redis":
//
//	source=HEROKU_POSTGRESQL_GREEN addon=postgresql-opaque-12345 sample#current_transaction=11618849366 sample#db_size=147391814791bytes …
//	source=REDIS addon=redis-metric-98068 sample#active-connections=404 … sample#memory-redis=343477584bytes sample#hit-rate=0.7 sample#evicted-keys=0

// AddonService is the data add-on a metric line comes from.
type AddonService uint8

// Services that log sample# metrics into the app's stream.
const (
	AddonUnknown AddonService = iota
	AddonPostgres
	AddonRedis
)

// String returns "postgres", "redis" or "".
func (s AddonService) String() string {
	switch s {
	case AddonPostgres:
		return "postgres"
	case AddonRedis:
		return "redis"
	}
	return ""
}

// AddonServiceOf maps a PROCID to its service; AddonUnknown for anything
// else, including the add-on's server logs ("postgres.1262692"), which are
// not metrics.
func AddonServiceOf(procid []byte) AddonService {
	switch string(procid) {
	case "heroku-postgres":
		return AddonPostgres
	case "heroku-redis":
		return AddonRedis
	}
	return AddonUnknown
}

// AddonMetricInfo is an AddonTable entry: a MetricInfo for one service.
type AddonMetricInfo struct {
	Service AddonService
	MetricInfo
}

// AddonTable is the curated list of every Postgres and Redis sample key
// Heroku documents (docs/heroku-formats.md), with the metric each becomes. Naming follows OTel
// guidance: counts of things are ".count" ({connection}), maxima ".limit",
// 0–1 fractions ".utilization" or ".hit_ratio" with unit "1", and series
// that add up to one quantity (read/write IOPS) share a name and differ by
// the disk.io.direction attribute. Keys logged as "…-percentage-used" are
// 0–1 fractions despite the name and stay 0–1 here.
//
// A value without a unit suffix is taken to be in the entry's unit
// (tmp-disk-used is bytes with no suffix). A suffix that converts to a
// different unit makes the sample fall back to the unknown-key path.
var AddonTable = [...]AddonMetricInfo{
	// Heroku Postgres.
	{AddonPostgres, MetricInfo{Key: "current_transaction", Name: "heroku.postgres.transaction.id", Unit: "{transaction}", Kind: MetricCounter}},
	{AddonPostgres, MetricInfo{Key: "db_size", Name: "heroku.postgres.db.size", Unit: "By"}},
	{AddonPostgres, MetricInfo{Key: "db-max-size", Name: "heroku.postgres.db.limit", Unit: "By"}},
	{AddonPostgres, MetricInfo{Key: "db-size-percentage-used", Name: "heroku.postgres.db.utilization", Unit: "1"}},
	{AddonPostgres, MetricInfo{Key: "tables", Name: "heroku.postgres.table.count", Unit: "{table}"}},
	{AddonPostgres, MetricInfo{Key: "active-connections", Name: "heroku.postgres.connection.count", Unit: "{connection}"}},
	{AddonPostgres, MetricInfo{Key: "waiting-connections", Name: "heroku.postgres.connection.waiting", Unit: "{connection}"}},
	{AddonPostgres, MetricInfo{Key: "max-connections", Name: "heroku.postgres.connection.limit", Unit: "{connection}"}},
	{AddonPostgres, MetricInfo{Key: "connections-percentage-used", Name: "heroku.postgres.connection.utilization", Unit: "1"}},
	{AddonPostgres, MetricInfo{Key: "index-cache-hit-rate", Name: "heroku.postgres.index_cache.hit_ratio", Unit: "1"}},
	{AddonPostgres, MetricInfo{Key: "table-cache-hit-rate", Name: "heroku.postgres.table_cache.hit_ratio", Unit: "1"}},
	{AddonPostgres, MetricInfo{Key: "load-avg-1m", Name: "heroku.postgres.load_average.1m", Unit: "{thread}"}},
	{AddonPostgres, MetricInfo{Key: "load-avg-5m", Name: "heroku.postgres.load_average.5m", Unit: "{thread}"}},
	{AddonPostgres, MetricInfo{Key: "load-avg-15m", Name: "heroku.postgres.load_average.15m", Unit: "{thread}"}},
	{AddonPostgres, MetricInfo{Key: "read-iops", Name: "heroku.postgres.disk.iops", Unit: "{operation}/s",
		AttrKey: "disk.io.direction", AttrValue: "read"}},
	{AddonPostgres, MetricInfo{Key: "write-iops", Name: "heroku.postgres.disk.iops", Unit: "{operation}/s",
		AttrKey: "disk.io.direction", AttrValue: "write"}},
	{AddonPostgres, MetricInfo{Key: "max-iops", Name: "heroku.postgres.disk.iops_limit", Unit: "{operation}/s"}},
	{AddonPostgres, MetricInfo{Key: "iops-percentage-used", Name: "heroku.postgres.disk.iops_utilization", Unit: "1"}},
	{AddonPostgres, MetricInfo{Key: "tmp-disk-used", Name: "heroku.postgres.tmp_disk.used", Unit: "By"}},
	{AddonPostgres, MetricInfo{Key: "tmp-disk-available", Name: "heroku.postgres.tmp_disk.available", Unit: "By"}},
	{AddonPostgres, MetricInfo{Key: "memory-total", Name: "heroku.postgres.memory.total", Unit: "By"}},
	{AddonPostgres, MetricInfo{Key: "memory-free", Name: "heroku.postgres.memory.free", Unit: "By"}},
	{AddonPostgres, MetricInfo{Key: "memory-cached", Name: "heroku.postgres.memory.cached", Unit: "By"}},
	{AddonPostgres, MetricInfo{Key: "memory-postgres", Name: "heroku.postgres.memory.used", Unit: "By"}},
	{AddonPostgres, MetricInfo{Key: "memory-percentage-used", Name: "heroku.postgres.memory.utilization", Unit: "1"}},
	{AddonPostgres, MetricInfo{Key: "wal-percentage-used", Name: "heroku.postgres.wal.utilization", Unit: "1"}},

	// Heroku Data for Redis.
	{AddonRedis, MetricInfo{Key: "active-connections", Name: "heroku.redis.connection.count", Unit: "{connection}"}},
	{AddonRedis, MetricInfo{Key: "load-avg-1m", Name: "heroku.redis.load_average.1m", Unit: "{thread}"}},
	{AddonRedis, MetricInfo{Key: "load-avg-5m", Name: "heroku.redis.load_average.5m", Unit: "{thread}"}},
	{AddonRedis, MetricInfo{Key: "load-avg-15m", Name: "heroku.redis.load_average.15m", Unit: "{thread}"}},
	{AddonRedis, MetricInfo{Key: "read-iops", Name: "heroku.redis.disk.iops", Unit: "{operation}/s",
		AttrKey: "disk.io.direction", AttrValue: "read"}},
	{AddonRedis, MetricInfo{Key: "write-iops", Name: "heroku.redis.disk.iops", Unit: "{operation}/s",
		AttrKey: "disk.io.direction", AttrValue: "write"}},
	{AddonRedis, MetricInfo{Key: "memory-total", Name: "heroku.redis.memory.total", Unit: "By"}},
	{AddonRedis, MetricInfo{Key: "memory-free", Name: "heroku.redis.memory.free", Unit: "By"}},
	{AddonRedis, MetricInfo{Key: "memory-cached", Name: "heroku.redis.memory.cached", Unit: "By"}},
	{AddonRedis, MetricInfo{Key: "memory-redis", Name: "heroku.redis.memory.used", Unit: "By"}},
	{AddonRedis, MetricInfo{Key: "hit-rate", Name: "heroku.redis.keyspace.hit_ratio", Unit: "1"}},
	// Whether Heroku resets this between samples is undocumented, so it is
	// reported as the gauge it is logged as.
	{AddonRedis, MetricInfo{Key: "evicted-keys", Name: "heroku.redis.keys.evicted", Unit: "{key}"}},
}

// LookupAddonMetric returns the AddonTable entry for a service's key
// (without "sample#"), or nil.
func LookupAddonMetric(svc AddonService, key []byte) *MetricInfo {
	i := addonLookup(svc, key, 0)
	if i < 0 {
		return nil
	}
	return &AddonTable[i].MetricInfo
}

// addonLookup scans AddonTable starting at hint and wrapping around. Keys
// arrive in a stable order, so starting just after the previous hit finds
// most keys on the first comparison.
func addonLookup(svc AddonService, key []byte, hint int) int {
	n := len(AddonTable)
	if hint < 0 || hint >= n {
		hint = 0
	}
	for j := 0; j < n; j++ {
		i := hint + j
		if i >= n {
			i -= n
		}
		e := &AddonTable[i]
		if e.Service == svc && string(key) == e.Key {
			return i
		}
	}
	return -1
}

// AppendAddonFallbackName appends the name used for a key that is not in
// AddonTable: "heroku.<service>.<key>" with '-' and any byte outside
// [a-z0-9_.] turned into '_' (upper case folded), so keys Heroku adds later
// still come through under a predictable name. Callers cache the result
// per key.
func AppendAddonFallbackName(dst []byte, svc AddonService, key []byte) []byte {
	dst = append(dst, "heroku."...)
	dst = append(dst, svc.String()...)
	dst = append(dst, '.')
	for _, c := range key {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_', c == '.':
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		default:
			c = '_'
		}
		dst = append(dst, c)
	}
	return dst
}

// AddonSample is one sample# pair of an add-on metric line.
type AddonSample struct {
	// Key is the key as logged, without "sample#" ("db_size").
	Key []byte
	// Value is normalised into Unit (kB and MB to bytes, ms to seconds).
	Value float64
	// Unit is the UCUM unit of Value; "" when the suffix is not in the unit
	// table, in which case Value is as logged and RawUnit says what it is.
	Unit string
	// RawUnit is the suffix as logged, nil when there was none.
	RawUnit []byte
	// Info is the AddonTable entry; nil for keys not in the table, and for
	// known keys logged in a unit that does not convert to the entry's
	// (those are gauges under AppendAddonFallbackName's name, so a
	// surprise unit never lands in the curated metric).
	Info *MetricInfo
}

// AppendName appends the sample's metric name: Info.Name, or the fallback
// name when Info is nil.
func (s *AddonSample) AppendName(dst []byte, svc AddonService) []byte {
	if s.Info != nil {
		return append(dst, s.Info.Name...)
	}
	return AppendAddonFallbackName(dst, svc, s.Key)
}

// AddonMetrics is one parsed add-on metric line. Its byte fields alias the
// message; reuse one value across lines so Samples keeps its capacity.
type AddonMetrics struct {
	Service AddonService
	// Source is the attachment name ("DATABASE", "HEROKU_POSTGRESQL_GREEN",
	// "REDIS"); the natural identity for the metric stream.
	Source []byte
	// Addon is the add-on name ("postgresql-opaque-12345"), absent in 2016
	// lines.
	Addon   []byte
	Samples []AddonSample
	// Unknown counts sample# pairs whose value was not a number.
	Unknown int
}

// ParseAddon parses a Postgres or Redis metric line into m, reusing
// m.Samples' storage, and reports whether it held at least one sample. It
// returns false without looking at msg when procid is neither
// "heroku-postgres" nor "heroku-redis"; the caller checks APP-NAME "app".
func ParseAddon(procid, msg []byte, m *AddonMetrics) bool {
	*m = AddonMetrics{Service: AddonServiceOf(procid), Samples: m.Samples[:0]}
	if m.Service == AddonUnknown {
		return false
	}
	hint := 0
	m.Source, m.Addon = walkSamples(msg, "addon", func(name, val []byte) {
		v, raw, ok := ParseSample(val)
		if !ok {
			m.Unknown++
			return
		}
		s := AddonSample{Key: name, Value: v, RawUnit: raw}
		if i := addonLookup(m.Service, name, hint); i >= 0 {
			hint = i + 1
			info := &AddonTable[i].MetricInfo
			if cv, ok := valueIn(v, raw, info.Unit); ok {
				s.Value, s.Unit, s.Info = cv, info.Unit, info
			}
		}
		if s.Info == nil {
			s.Value, s.Unit, _ = Normalize(v, raw)
		}
		m.Samples = append(m.Samples, s)
	})
	return len(m.Samples) > 0
}
