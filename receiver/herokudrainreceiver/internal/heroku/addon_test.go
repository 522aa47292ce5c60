package heroku

import (
	"math"
	"strings"
	"testing"
)

// Message parts of the reference's lines (§3.4, §3.5), verbatim unless noted.
const (
	// §3.4 drain capture (2022), the MSG after "host app heroku-postgres - ".
	postgresLine2022 = "source=HEROKU_POSTGRESQL_GREEN addon=postgresql-opaque-12345 sample#current_transaction=11618849366 sample#db_size=147391814791bytes sample#tables=67 sample#active-connections=41 sample#waiting-connections=0 sample#index-cache-hit-rate=0.99625 sample#table-cache-hit-rate=0.99686 sample#load-avg-1m=0.3575 sample#load-avg-5m=0.3275 sample#load-avg-15m=0.2475 sample#read-iops=302.48 sample#write-iops=351.78 sample#tmp-disk-used=542765056 sample#tmp-disk-available=72436027392 sample#memory-total=31328356kB sample#memory-free=242328kB sample#memory-cached=29518708kB sample#memory-postgres=367856kB sample#wal-percentage-used=0.07767112123673295"
	// §3.4 doc example (2024); the reference cuts it at "sample#load-…",
	// completed here with plausible values in the 2022 line's key order.
	postgresLine2024 = "source=HEROKU_POSTGRESQL_SILVER addon=postgresql-devcenter-123456 sample#current_transaction=54017686 sample#db_size=16012956319bytes sample#tables=97 sample#active-connections=7 sample#waiting-connections=0 sample#index-cache-hit-rate=0.9239 sample#table-cache-hit-rate=0.93609 sample#load-avg-1m=0.05 sample#load-avg-5m=0.04 sample#load-avg-15m=0.035 sample#read-iops=0 sample#write-iops=0.35 sample#tmp-disk-used=543633408 sample#tmp-disk-available=72435159040 sample#memory-total=16085900kB sample#memory-free=375272kB sample#memory-cached=14950892kB sample#memory-postgres=183124kB sample#wal-percentage-used=0.0659"
	// §3.4 2016 float forms, constructed from the table's notes (no addon=,
	// no tmp-disk, no WAL).
	postgresLine2016 = "source=DATABASE sample#current_transaction=4171563.0 sample#db_size=8945836.0bytes sample#tables=12 sample#active-connections=3 sample#memory-total=4045592.0kB"
	// §3.4 newer keys, constructed: the reference lists the keys but no line.
	postgresLineNewer = "source=DATABASE addon=postgresql-opaque-12345 sample#db-size-percentage-used=0.12 sample#max-connections=500 sample#connections-percentage-used=0.082 sample#max-iops=3000 sample#iops-percentage-used=0.217 sample#memory-percentage-used=0.98 sample#db-max-size=1099511627776bytes"
	// §3.5, the MSG of the doc example.
	redisLine2024 = "source=REDIS addon=redis-metric-98068 sample#active-connections=404 sample#load-avg-1m=0.115 sample#load-avg-5m=0.075 sample#load-avg-15m=0.07 sample#read-iops=0 sample#write-iops=54.758 sample#memory-total=15405660kB sample#memory-free=12639520kB sample#memory-cached=1911724kB sample#memory-redis=343477584bytes sample#hit-rate=0.7 sample#evicted-keys=0"
)

type addonWant struct {
	name  string
	value float64
	unit  string
}

func parseAddonMap(t *testing.T, procid, line string) (AddonMetrics, map[string]addonWant) {
	t.Helper()
	var m AddonMetrics
	if !ParseAddon([]byte(procid), []byte(line), &m) {
		t.Fatalf("ParseAddon(%s) = false", procid)
	}
	got := map[string]addonWant{}
	for i := range m.Samples {
		s := &m.Samples[i]
		got[string(s.Key)] = addonWant{string(s.AppendName(nil, m.Service)), s.Value, s.Unit}
	}
	return m, got
}

func checkAddon(t *testing.T, got map[string]addonWant, want map[string]addonWant) {
	t.Helper()
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("%s missing", k)
			continue
		}
		if g.name != w.name || g.unit != w.unit || math.Abs(g.value-w.value) > 1e-9*math.Max(1, math.Abs(w.value)) {
			t.Errorf("%s = %+v, want %+v", k, g, w)
		}
	}
}

func TestParseAddonPostgres2022Capture(t *testing.T) {
	m, got := parseAddonMap(t, "heroku-postgres", postgresLine2022)
	if m.Service != AddonPostgres || string(m.Source) != "HEROKU_POSTGRESQL_GREEN" || string(m.Addon) != "postgresql-opaque-12345" {
		t.Errorf("service, source, addon = %v %q %q", m.Service, m.Source, m.Addon)
	}
	if len(m.Samples) != 19 || m.Unknown != 0 {
		t.Errorf("%d samples, %d unknown; want 19, 0", len(m.Samples), m.Unknown)
	}
	checkAddon(t, got, map[string]addonWant{
		"current_transaction":  {"heroku.postgres.transaction.id", 11618849366, "{transaction}"},
		"db_size":              {"heroku.postgres.db.size", 147391814791, "By"},
		"tables":               {"heroku.postgres.table.count", 67, "{table}"},
		"active-connections":   {"heroku.postgres.connection.count", 41, "{connection}"},
		"waiting-connections":  {"heroku.postgres.connection.waiting", 0, "{connection}"},
		"index-cache-hit-rate": {"heroku.postgres.index_cache.hit_ratio", 0.99625, "1"},
		"table-cache-hit-rate": {"heroku.postgres.table_cache.hit_ratio", 0.99686, "1"},
		"load-avg-15m":         {"heroku.postgres.load_average.15m", 0.2475, "{thread}"},
		"read-iops":            {"heroku.postgres.disk.iops", 302.48, "{operation}/s"},
		"write-iops":           {"heroku.postgres.disk.iops", 351.78, "{operation}/s"},
		"tmp-disk-used":        {"heroku.postgres.tmp_disk.used", 542765056, "By"},
		"tmp-disk-available":   {"heroku.postgres.tmp_disk.available", 72436027392, "By"},
		"memory-total":         {"heroku.postgres.memory.total", 31328356 * 1024, "By"},
		"memory-postgres":      {"heroku.postgres.memory.used", 367856 * 1024, "By"},
		"wal-percentage-used":  {"heroku.postgres.wal.utilization", 0.07767112123673295, "1"},
	})
	for i := range m.Samples {
		if m.Samples[i].Info == nil {
			t.Errorf("%s not in AddonTable", m.Samples[i].Key)
		}
	}
}

func TestParseAddonPostgresDocExampleAndOldFloatForms(t *testing.T) {
	m, got := parseAddonMap(t, "heroku-postgres", postgresLine2024)
	if string(m.Source) != "HEROKU_POSTGRESQL_SILVER" || len(m.Samples) != 19 {
		t.Errorf("source %q, %d samples", m.Source, len(m.Samples))
	}
	checkAddon(t, got, map[string]addonWant{
		"db_size":              {"heroku.postgres.db.size", 16012956319, "By"},
		"index-cache-hit-rate": {"heroku.postgres.index_cache.hit_ratio", 0.9239, "1"},
	})

	m, got = parseAddonMap(t, "heroku-postgres", postgresLine2016)
	if string(m.Source) != "DATABASE" || m.Addon != nil {
		t.Errorf("2016 line: source %q addon %q; want DATABASE and no addon", m.Source, m.Addon)
	}
	checkAddon(t, got, map[string]addonWant{
		"current_transaction": {"heroku.postgres.transaction.id", 4171563, "{transaction}"},
		"db_size":             {"heroku.postgres.db.size", 8945836, "By"},
		"memory-total":        {"heroku.postgres.memory.total", 4045592 * 1024, "By"},
	})
}

func TestParseAddonPostgresNewerPercentageAndMaxKeys(t *testing.T) {
	_, got := parseAddonMap(t, "heroku-postgres", postgresLineNewer)
	checkAddon(t, got, map[string]addonWant{
		"db-size-percentage-used":     {"heroku.postgres.db.utilization", 0.12, "1"},
		"max-connections":             {"heroku.postgres.connection.limit", 500, "{connection}"},
		"connections-percentage-used": {"heroku.postgres.connection.utilization", 0.082, "1"},
		"max-iops":                    {"heroku.postgres.disk.iops_limit", 3000, "{operation}/s"},
		"iops-percentage-used":        {"heroku.postgres.disk.iops_utilization", 0.217, "1"},
		"memory-percentage-used":      {"heroku.postgres.memory.utilization", 0.98, "1"},
		"db-max-size":                 {"heroku.postgres.db.limit", 1 << 40, "By"},
	})
}

func TestParseAddonRedisDocExample(t *testing.T) {
	m, got := parseAddonMap(t, "heroku-redis", redisLine2024)
	if m.Service != AddonRedis || string(m.Source) != "REDIS" || string(m.Addon) != "redis-metric-98068" || len(m.Samples) != 12 {
		t.Errorf("service %v source %q addon %q, %d samples", m.Service, m.Source, m.Addon, len(m.Samples))
	}
	checkAddon(t, got, map[string]addonWant{
		"active-connections": {"heroku.redis.connection.count", 404, "{connection}"},
		"load-avg-1m":        {"heroku.redis.load_average.1m", 0.115, "{thread}"},
		"write-iops":         {"heroku.redis.disk.iops", 54.758, "{operation}/s"},
		"memory-total":       {"heroku.redis.memory.total", 15405660 * 1024, "By"},
		"memory-redis":       {"heroku.redis.memory.used", 343477584, "By"},
		"hit-rate":           {"heroku.redis.keyspace.hit_ratio", 0.7, "1"},
		"evicted-keys":       {"heroku.redis.keys.evicted", 0, "{key}"},
	})
}

func TestParseAddonUnknownKeysFallBackToDerivedNames(t *testing.T) {
	line := "source=REDIS sample#memory-peak=2048kB sample#connected_Replicas=2 sample#ops=12req sample#bad=abc sample#memory-redis=5ms"
	m, got := parseAddonMap(t, "heroku-redis", line)
	checkAddon(t, got, map[string]addonWant{
		"memory-peak":        {"heroku.redis.memory_peak", 2048 * 1024, "By"},
		"connected_Replicas": {"heroku.redis.connected_replicas", 2, "1"},
		"ops":                {"heroku.redis.ops", 12, ""},
		// A known key in a unit that does not convert leaves the curated metric alone.
		"memory-redis": {"heroku.redis.memory_redis", 0.005, "s"},
	})
	if m.Unknown != 1 {
		t.Errorf("Unknown = %d, want 1 (sample#bad=abc)", m.Unknown)
	}
	if s := m.Samples[2]; string(s.RawUnit) != "req" || s.Info != nil {
		t.Errorf("ops sample = %+v; want raw unit req and no Info", s)
	}
}

func TestParseAddonIgnoresOtherProcids(t *testing.T) {
	var m AddonMetrics
	for _, procid := range []string{"postgres.1262692", "web.1", "router", ""} {
		if ParseAddon([]byte(procid), []byte(postgresLine2022), &m) {
			t.Errorf("procid %q parsed as add-on metrics", procid)
		}
	}
	if ParseAddon([]byte("heroku-postgres"), []byte("source=DATABASE addon=x"), &m) {
		t.Error("line with no samples reported ok")
	}
}

func TestAddonTableIsCompleteAndConsistent(t *testing.T) {
	// Every key the reference lists, per service.
	want := map[AddonService][]string{
		AddonPostgres: {"current_transaction", "db_size", "tables", "active-connections", "waiting-connections",
			"index-cache-hit-rate", "table-cache-hit-rate", "load-avg-1m", "load-avg-5m", "load-avg-15m", "read-iops",
			"write-iops", "tmp-disk-used", "tmp-disk-available", "memory-total", "memory-free", "memory-cached",
			"memory-postgres", "wal-percentage-used", "db-size-percentage-used", "max-connections",
			"connections-percentage-used", "max-iops", "iops-percentage-used", "memory-percentage-used", "db-max-size"},
		AddonRedis: {"active-connections", "load-avg-1m", "load-avg-5m", "load-avg-15m", "read-iops", "write-iops",
			"memory-total", "memory-free", "memory-cached", "memory-redis", "hit-rate", "evicted-keys"},
	}
	for svc, keys := range want {
		for _, k := range keys {
			if LookupAddonMetric(svc, []byte(k)) == nil {
				t.Errorf("%v %s not in AddonTable", svc, k)
			}
		}
	}
	seen := map[string]string{}
	pairs := map[string]bool{}
	for _, e := range AddonTable {
		if e.Name == "" || e.Unit == "" {
			t.Errorf("incomplete entry %+v", e)
		}
		id := e.Service.String() + "/" + e.Key
		if pairs[id] {
			t.Errorf("duplicate key %s", id)
		}
		pairs[id] = true
		if !strings.HasPrefix(e.Name, "heroku."+e.Service.String()+".") {
			t.Errorf("%s: name %s outside its namespace", id, e.Name)
		}
		// A shared name must share its unit and be told apart by an attribute.
		if u, ok := seen[e.Name]; ok && (u != e.Unit || e.AttrKey == "") {
			t.Errorf("%s: name %s reused with unit %s (was %s) or without attribute", id, e.Name, e.Unit, u)
		}
		seen[e.Name] = e.Unit
		if strings.HasSuffix(e.Key, "percentage-used") || strings.HasSuffix(e.Key, "hit-rate") {
			if e.Unit != "1" {
				t.Errorf("%s: fraction with unit %s", id, e.Unit)
			}
		}
	}
	// No metric name may also be a namespace of another (OTel naming rule).
	for name := range seen {
		for other := range seen {
			if strings.HasPrefix(other, name+".") {
				t.Errorf("%s is both a metric and the namespace of %s", name, other)
			}
		}
	}
}

func TestParseAddonReusesSampleStorage(t *testing.T) {
	line := []byte(postgresLine2022)
	proc := []byte("heroku-postgres")
	var m AddonMetrics
	ParseAddon(proc, line, &m)
	if a := testing.AllocsPerRun(100, func() { ParseAddon(proc, line, &m) }); a != 0 {
		t.Errorf("%v allocs per line with reused storage", a)
	}
}

func FuzzAddon(f *testing.F) {
	for _, s := range []string{postgresLine2022, postgresLine2016, postgresLineNewer, redisLine2024, "", "sample#x", "sample#db_size=1e3MB"} {
		f.Add(true, []byte(s))
		f.Add(false, []byte(s))
	}
	f.Fuzz(func(t *testing.T, redis bool, b []byte) {
		proc := []byte("heroku-postgres")
		if redis {
			proc = []byte("heroku-redis")
		}
		var m AddonMetrics
		ok := ParseAddon(proc, b, &m)
		if ok != (len(m.Samples) > 0) {
			t.Fatalf("ok = %v with %d samples", ok, len(m.Samples))
		}
		for i := range m.Samples {
			s := &m.Samples[i]
			if math.IsNaN(s.Value) || math.IsInf(s.Value, 0) {
				t.Fatalf("%s = %v", s.Key, s.Value)
			}
			if s.Info != nil && s.Unit != s.Info.Unit {
				t.Fatalf("%s: unit %q but table says %q", s.Key, s.Unit, s.Info.Unit)
			}
			if len(s.AppendName(nil, m.Service)) == 0 {
				t.Fatalf("%s: empty name", s.Key)
			}
		}
	})
}

func BenchmarkParseAddon(b *testing.B) {
	line := []byte(postgresLine2022)
	proc := []byte("heroku-postgres")
	var m AddonMetrics
	b.ReportAllocs()
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		ParseAddon(proc, line, &m)
	}
}
