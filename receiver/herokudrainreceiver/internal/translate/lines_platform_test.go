package translate

import (
	"testing"

	"go.opentelemetry.io/collector/pdata/plog"
)

func TestLogplexErrors(t *testing.T) {
	runLineCases(t, []lineCase{
		{
			name: "L10 from Logplex (no trailing LF) gives the dropped count and since",
			line: "<172>1 2015-05-09T20:21:24+00:00 host heroku logplex - Error L10 (output buffer overflow): 1 messages dropped since 2015-05-09T20:19:03+00:00.",
			noLF: true,
			want: map[string]any{
				AttrComponent: "logplex", AttrErrorCode: "L10", attrErrorType: "L10",
				AttrErrorDescription: "Drain buffer overflow", AttrDropped: 1, AttrDroppedSince: "2015-05-09T20:19:03+00:00",
			},
			event:    "heroku.logplex.error",
			severity: plog.SeverityNumberWarn,
		},
		{
			name: "L12 from log-shuttle is heroku.component log-shuttle, as the docs say",
			line: "<172>1 2024-03-15T09:26:53.589793+00:00 host app log-shuttle - Error L12: 222 messages dropped since 2024-03-15T09:20:00.000000+00:00.",
			want: map[string]any{
				AttrComponent: "log-shuttle", AttrErrorCode: "L12", AttrErrorDescription: "Local buffer overflow",
				AttrDropped: 222, AttrDroppedSince: "2024-03-15T09:20:00.000000+00:00",
			},
			event:    "heroku.logplex.error",
			severity: plog.SeverityNumberWarn,
		},
		{
			name: "L13 counts lost lines",
			line: "<172>1 2024-03-15T09:26:53.589793+00:00 host app log-shuttle - Error L13: 4 messages lost since 2024-03-15T09:20:00.000000+00:00",
			want: map[string]any{
				AttrErrorCode: "L13", AttrErrorDescription: "Local delivery error", AttrDropped: 4,
				AttrDroppedSince: "2024-03-15T09:20:00.000000+00:00",
			},
			event: "heroku.logplex.error",
		},
		{
			name:     "L14 has no count and is an error",
			line:     `<172>1 2024-03-15T09:26:53+00:00 host heroku logplex - Error L14 (certificate validation): error="bad certificate" uri="syslog+tls://logs.example.com:6514/"`,
			want:     map[string]any{AttrErrorCode: "L14", AttrErrorDescription: "Certificate validation error"},
			absent:   []string{AttrDropped, AttrDroppedSince},
			event:    "heroku.logplex.error",
			severity: plog.SeverityNumberError,
		},
		{
			name:   "an app printing L10-like text is not a Logplex error",
			line:   "<190>1 2024-03-15T09:26:53.589793+00:00 host app web.1 - Error L10 (output buffer overflow): 1 messages dropped since 2015-05-09T20:19:03+00:00.",
			want:   map[string]any{AttrComponent: "app", AttrDynoName: "web.1"},
			absent: append([]string{AttrDropped}, noErr...),
		},
	})
}

func TestRuntimeMetricLines(t *testing.T) {
	const id = "heroku.2808254.d97d0ea7-cf3d-411b-b453-d2943a50b456"
	runLineCases(t, []lineCase{
		{
			name:     "a load line names the dyno from source= and its instance id; the samples stay out of the attributes",
			line:     "<45>1 2024-03-15T09:26:53.589793+00:00 host heroku web.1 - source=web.1 dyno=" + id + " sample#load_avg_1m=2.46 sample#load_avg_5m=1.06 sample#load_avg_15m=0.99",
			want:     map[string]any{AttrComponent: "dyno", AttrDynoName: "web.1", AttrDynoType: "web", AttrDynoID: id},
			absent:   append([]string{"sample#load_avg_1m", "load_avg_1m", AttrStateFrom}, noErr...),
			severity: plog.SeverityNumberInfo,
		},
		{
			name: "a memory line",
			line: "<134>1 2024-03-15T09:26:54.100000+00:00 host heroku worker.2 - source=worker.2 dyno=" + id + " sample#memory_total=21.00MB sample#memory_rss=21.22MB sample#memory_cache=0.00MB sample#memory_swap=0.00MB sample#memory_pgpgin=348836pages sample#memory_pgpgout=343403pages sample#memory_quota=512.00MB",
			want: map[string]any{AttrDynoName: "worker.2", AttrDynoType: "worker", AttrDynoID: id},
		},
		{
			name: "a one-off dyno without load_avg_15m",
			line: "<45>1 2024-03-15T09:26:53.589793+00:00 host heroku run.2660 - source=run.2660 dyno=" + id + " sample#load_avg_1m=0.48 sample#load_avg_5m=0.41",
			want: map[string]any{AttrDynoName: "run.2660", AttrDynoType: "run"},
		},
		{
			name:   "a 2015 line without source= or dyno= names the dyno from the procid",
			line:   "<45>1 2015-05-09T20:21:25.608433+00:00 host heroku web.3 - sample#memory_total=109.52MB sample#memory_rss=104.19MB sample#memory_cache=5.33MB sample#memory_swap=0.00MB sample#memory_pgpgin=53016pages sample#memory_pgpgout=24966pages",
			want:   map[string]any{AttrDynoName: "web.3", AttrDynoType: "web"},
			absent: []string{AttrDynoID},
		},
	})
}

func TestAddonLines(t *testing.T) {
	runLineCases(t, []lineCase{
		{
			name:     "a Postgres metric line gives the attachment and the add-on",
			line:     "<134>1 2022-03-24T23:59:31+00:00 host app heroku-postgres - source=HEROKU_POSTGRESQL_GREEN addon=postgresql-opaque-12345 sample#current_transaction=11618849366 sample#db_size=147391814791bytes sample#tables=67 sample#active-connections=41 sample#waiting-connections=0 sample#index-cache-hit-rate=0.99625 sample#table-cache-hit-rate=0.99686 sample#load-avg-1m=0.3575 sample#load-avg-5m=0.3275 sample#load-avg-15m=0.2475 sample#read-iops=302.48 sample#write-iops=351.78 sample#tmp-disk-used=542765056 sample#tmp-disk-available=72436027392 sample#memory-total=31328356kB sample#memory-free=242328kB sample#memory-cached=29518708kB sample#memory-postgres=367856kB sample#wal-percentage-used=0.07767112123673295",
			want:     map[string]any{AttrComponent: "postgres", AttrAddonAttach: "HEROKU_POSTGRESQL_GREEN", AttrAddonName: "postgresql-opaque-12345"},
			absent:   []string{AttrDynoName},
			severity: plog.SeverityNumberInfo,
		},
		{
			name:   "a 2016 Postgres line without LF or addon= gives only the attachment",
			line:   "<134>1 2016-02-10T18:33:24+00:00 host app heroku-postgres - source=DATABASE sample#current_transaction=4171563.0 sample#db_size=8945836.0bytes sample#tables=12 sample#active-connections=3 sample#waiting-connections=0 sample#index-cache-hit-rate=0.99 sample#table-cache-hit-rate=0.99 sample#load-avg-1m=0 sample#load-avg-5m=0 sample#load-avg-15m=0 sample#read-iops=0 sample#write-iops=0.01 sample#memory-total=4045592.0kB sample#memory-free=1045592.0kB sample#memory-cached=2045592.0kB sample#memory-postgres=45592.0kB",
			noLF:   true,
			want:   map[string]any{AttrAddonAttach: "DATABASE"},
			absent: []string{AttrAddonName},
		},
		{
			name: "a Redis metric line",
			line: "<134>1 2024-03-15T12:10:39+00:00 host app heroku-redis - source=REDIS addon=redis-metric-98068 sample#active-connections=404 sample#load-avg-1m=0.115 sample#load-avg-5m=0.075 sample#load-avg-15m=0.07 sample#read-iops=0 sample#write-iops=54.758 sample#memory-total=15405660kB sample#memory-free=12639520kB sample#memory-cached=1911724kB sample#memory-redis=343477584bytes sample#hit-rate=0.7 sample#evicted-keys=0",
			want: map[string]any{AttrComponent: "redis", AttrAddonAttach: "REDIS", AttrAddonName: "redis-metric-98068"},
		},
		{
			name:     "a Postgres server log line has only component and severity",
			line:     "<134>1 2024-03-15T12:10:39+00:00 host app postgres.1262692 - [DATABASE] [9-1]  sql_error_code = 28000 FATAL:  no pg_hba.conf entry for host \"1.2.3.4\"",
			want:     map[string]any{AttrComponent: "postgres"},
			absent:   []string{AttrAddonAttach, AttrAddonName, AttrDynoName, AttrDynoType},
			severity: plog.SeverityNumberFatal,
		},
		{
			name:     "a Postgres LOG line is info",
			line:     "<134>1 2024-03-15T12:10:39+00:00 host app postgres.1262692 - [DATABASE] [10-1]  sql_error_code = 00000 LOG:  checkpoint starting: time",
			want:     map[string]any{AttrComponent: "postgres"},
			absent:   []string{AttrDynoName},
			severity: plog.SeverityNumberInfo,
		},
	})
}
