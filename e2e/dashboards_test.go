//go:build backends

package e2e

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/logplextest"
)

// TestDashboardsOnRealBackends is `make test-e2e`: two replicas of the built
// collector, run with the documented testdata/collector/prometheus.yaml,
// send a generated drain mix to Debian's stock Prometheus (remote write, no
// feature flags) and to VictoriaLogs (OTLP). Then every query of every panel
// of the committed dashboards, with the dashboard variables filled in, must
// return what the mix's ledger says: over the whole range, and over a range
// that starts after the last event (zero or no data, except state such as
// the formation).
func TestDashboardsOnRealBackends(t *testing.T) {
	began := time.Now()
	prom := startPrometheus(t)
	vlogs := startVictoriaLogs(t)
	drains := []string{startReplica(t, "collector-a", prom, vlogs), startReplica(t, "collector-b", prom, vlogs)}
	t.Logf("backends and two collectors up in %v", time.Since(began).Round(time.Millisecond))

	mixStart := time.Now().Add(-150 * time.Second)
	m := buildMix(mixStart)
	led := m.led
	full := window{start: mixStart.Add(-30 * time.Second).Truncate(15 * time.Second), step: 15 * time.Second}

	clients := make([]*logplextest.Client, len(drains))
	for i, u := range drains {
		c, err := logplextest.NewClient(logplextest.Config{URL: u, Token: SampleToken})
		if err != nil {
			t.Fatal(err)
		}
		clients[i] = c
	}
	send := func(phase int) int {
		n := 0
		for _, b := range m.batches {
			if b.phase != phase {
				continue
			}
			res := clients[b.replica].SendBatch(context.Background(), b.msgs)
			if !res.Delivered {
				t.Fatalf("batch to replica %d not delivered: statuses %v errors %v", b.replica, res.Statuses, res.Errors)
			}
			n += len(b.msgs)
		}
		return n
	}
	lines := send(1)
	// Phase 1 is in both backends: every request counted, the runtime
	// gauges stored, every record searchable.
	waitFor(t, "phase 1 in Prometheus", 90*time.Second, func() (bool, string) {
		v, err := promValue(prom, `sum(heroku_log_records_total{job="`+mixApp+`"})`)
		g, _ := promValue(prom, `count(heroku_dyno_memory_rss_bytes{job="`+mixApp+`"})`)
		return err == nil && v == float64(lines) && g == float64(len(led.runtime)), fmt.Sprintf("records %v, rss gauges %v, %v", v, g, err)
	})
	waitForLogs(t, vlogs, full.start, lines)
	t.Logf("phase 1 (%d lines in %d batches) stored after %v", lines, countBatches(m, 1), time.Since(began).Round(time.Millisecond))

	lines += send(2)
	web1 := led.runtime[0]
	waitFor(t, "phase 2 in Prometheus", 90*time.Second, func() (bool, string) {
		v, err := promValue(prom, `max(heroku_dyno_memory_pgpgin{job="`+mixApp+`", heroku_dyno_name="web.1"})`)
		return err == nil && v == float64(web1.pgin[1]), fmt.Sprintf("web.1 pgpgin %v, want %d (%v)", v, web1.pgin[1], err)
	})
	waitForLogs(t, vlogs, full.start, lines)
	// End the range on a step boundary that is not in the past, as Grafana
	// aligns range queries to the step: the last trend point then covers
	// the newest flush.
	full.end = full.start.Add((time.Since(full.start)/full.step + 1) * full.step)
	time.Sleep(time.Until(full.end))

	bounds := map[string]bucketBounds{}
	for _, h := range []string{"http_server_request_duration_seconds", "heroku_router_connect_duration_seconds"} {
		b, err := leBounds(prom, h)
		if err != nil || len(b) < 3 {
			t.Fatalf("%s buckets: %v %v", h, b, err)
		}
		bounds[h] = b
	}
	checks := expectations(led, bounds)
	targets := dashboardTargets(t)
	covered := map[string]bool{}
	for _, tg := range targets {
		covered[tg.key] = true
		if _, ok := checks[tg.key]; !ok {
			t.Errorf("no ledger check for dashboard query %s", tg.key)
		}
	}
	for k := range checks {
		if !covered[k] {
			t.Errorf("ledger check %s matches no dashboard query", k)
		}
	}

	t.Run("whole range", func(t *testing.T) {
		for _, tg := range targets {
			runCheck(t, prom, vlogs, full, tg, checks[tg.key], false)
		}
		extraChecks(t, prom, vlogs, full, led, lines)
	})

	// The $dyno variable narrows every panel that has it to that dyno.
	t.Run("one dyno", func(t *testing.T) {
		one := full
		one.dyno = "web.1"
		n := 0
		for _, tg := range targets {
			c := checks[tg.key]
			if !strings.Contains(tg.expr, `heroku_dyno_name=~"$dyno"`) || c.want == nil {
				continue
			}
			c.want = onlyDyno(tg.key, c, "web.1", web1)
			runCheck(t, prom, vlogs, one, tg, c, false)
			n++
		}
		if n < 20 {
			t.Errorf("only %d queries have a $dyno filter", n)
		}
	})

	// A range that starts a step after the last event and holds at least
	// one flush of both collectors.
	after := window{start: full.end.Add(16 * time.Second), step: 15 * time.Second}
	time.Sleep(time.Until(after.start))
	waitFor(t, "a flush after the last event", 60*time.Second, func() (bool, string) {
		v, err := promValue(prom, `min(max by (instance) (timestamp(heroku_router_requests_total{job="`+mixApp+`"})))`)
		return err == nil && v > float64(after.start.Unix()), fmt.Sprintf("newest sample at %v (%v)", v, err)
	})
	after.end = time.Now()
	t.Run("range after the last event", func(t *testing.T) {
		for _, tg := range targets {
			runCheck(t, prom, vlogs, after, tg, checks[tg.key], true)
		}
	})
	t.Logf("%d dashboard queries checked on two ranges; total %v", len(targets), time.Since(began).Round(time.Millisecond))
}

func countBatches(m *mix, phase int) int {
	n := 0
	for _, b := range m.batches {
		if b.phase == phase {
			n++
		}
	}
	return n
}

func runCheck(t *testing.T, prom, vlogs string, w window, tg target, c check, after bool) {
	t.Helper()
	var res []series
	var rows []map[string]string
	var err error
	if tg.dsType == "prometheus" {
		res, err = promQuery(prom, w, tg.expr, tg.instant)
	} else {
		res, rows, err = logsQuery(vlogs, w, tg.expr, tg.queryType)
	}
	if err != nil {
		t.Errorf("%s: %v\nquery: %s", tg.key, err, w.fill(tg.expr))
		return
	}
	switch {
	case after && c.after == nil:
		// Nothing happened in this range: no data, or zeros.
		for _, s := range res {
			for _, p := range s.points {
				if p[1] != 0 {
					t.Errorf("%s: %v = %v in a range after the last event, want 0 or no data", tg.key, s.labels, p[1])
					return
				}
			}
		}
		if len(rows) > 0 {
			t.Errorf("%s: %d rows in a range after the last event", tg.key, len(rows))
		}
	case after:
		got, err := reduce(res, c)
		if err == nil {
			err = compare(got, c.after, c.tol)
		}
		if err != nil {
			t.Errorf("%s (range after the last event): %v", tg.key, err)
		}
	default:
		if c.want != nil {
			got, err := reduce(res, c)
			if err == nil {
				err = compare(got, c.want, c.tol)
			}
			if err != nil {
				t.Errorf("%s: %v\nquery: %s", tg.key, err, w.fill(tg.expr))
				return
			}
		}
		if c.fn != nil {
			if err := c.fn(res, rows); err != nil {
				t.Errorf("%s: %v\nquery: %s", tg.key, err, w.fill(tg.expr))
			}
		}
	}
}

// extraChecks are ledger numbers no Sumo panel shows: the app's measure#
// histogram, every record counted and stored, and the two replicas writing
// separate series.
func extraChecks(t *testing.T, prom, vlogs string, w window, led *ledger, lines int) {
	var recs float64
	for _, n := range led.records {
		recs += float64(n)
	}
	if recs != float64(lines) {
		t.Fatalf("ledger: %v records for %d lines", recs, lines)
	}
	app := `{job="` + mixApp + `"}`
	for _, q := range []struct {
		expr string
		want float64
	}{
		{`sum(last_over_time(db_query_seconds_count` + app + `[$__range]))`, float64(len(led.measure))},
		{`sum(last_over_time(db_query_seconds_sum` + app + `[$__range]))`, sum(led.measure)},
		{`sum(last_over_time(heroku_log_records_total` + app + `[$__range]))`, recs},
		{`count(count by (instance) (heroku_log_records_total` + app + `))`, 2},
		// Add-on gauges arrive (a refused write would lose them first).
		{`max(last_over_time(heroku_postgres_db_size_bytes` + app + `[$__range]))`, led.dbSize},
	} {
		res, err := promQuery(prom, w, q.expr, true)
		if err == nil {
			var got map[string]float64
			got, err = reduce(res, check{})
			if err == nil {
				err = compare(got, one(q.want), 1e-9)
			}
		}
		if err != nil {
			t.Errorf("%s: %v", q.expr, err)
		}
	}
	res, _, err := logsQuery(vlogs, w, `"service.name":="`+mixApp+`" | stats count() as records`, "stats")
	if err == nil {
		var got map[string]float64
		got, err = reduce(res, check{})
		if err == nil {
			err = compare(got, one(recs), 0)
		}
	}
	if err != nil {
		t.Errorf("records in VictoriaLogs: %v", err)
	}
}

func promValue(base, expr string) (float64, error) {
	res, err := promQuery(base, window{end: time.Now()}, expr, true)
	if err != nil {
		return 0, err
	}
	if len(res) != 1 || len(res[0].points) != 1 {
		return 0, fmt.Errorf("%d series", len(res))
	}
	return res[0].points[0][1], nil
}

func leBounds(base, hist string) (bucketBounds, error) {
	res, err := promQuery(base, window{end: time.Now()}, `count by (le) (`+hist+`_bucket{job="`+mixApp+`"})`, true)
	if err != nil {
		return nil, err
	}
	var b bucketBounds
	for _, s := range res {
		v, err := strconv.ParseFloat(strings.Replace(s.labels["le"], "+Inf", "Inf", 1), 64)
		if err != nil {
			return nil, err
		}
		b = append(b, v)
	}
	sortFloats(b)
	return b, nil
}

func waitFor(t *testing.T, what string, timeout time.Duration, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, state := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not there after %v: %s", what, timeout, state)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func waitForLogs(t *testing.T, vlogs string, since time.Time, n int) {
	t.Helper()
	waitFor(t, fmt.Sprintf("%d records in VictoriaLogs", n), 60*time.Second, func() (bool, string) {
		res, _, err := logsQuery(vlogs, window{start: since, end: time.Now()}, `"service.name":="`+mixApp+`" | stats count() as records`, "stats")
		if err != nil || len(res) != 1 || len(res[0].points) != 1 {
			return false, fmt.Sprint(res, err)
		}
		return res[0].points[0][1] == float64(n), fmt.Sprintf("%v records", res[0].points[0][1])
	})
}

// onlyDyno narrows a check's expected values to one dyno: the groups of
// that dyno, or, for a value over all dynos (the CPU board's overall load
// averages), that dyno's own value.
func onlyDyno(key string, c check, dyno string, s *runtimeSample) map[string]float64 {
	idx := slices.Index(c.labels, "heroku_dyno_name")
	if idx < 0 {
		for i, w := range []string{"1m", "5m", "15m"} {
			if strings.Contains(key, "Load Average "+w+":") {
				return one(s.load[i])
			}
		}
		panic("no per-dyno value for " + key)
	}
	out := map[string]float64{}
	for k, v := range c.want {
		if strings.Split(k, "|")[idx] == dyno {
			out[k] = v
		}
	}
	return out
}
