package e2e

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/logplextest"
)

// rssBytes reads VmRSS of pid from /proc.
func rssBytes(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}

const oneMiB = 1 << 20

// rssSampler records the largest VmRSS of a process while it runs.
type rssSampler struct {
	max     atomic.Int64
	samples atomic.Int64
	errs    atomic.Int64
	stop    chan struct{}
	done    chan struct{}
}

func sampleRSS(pid int, every time.Duration) *rssSampler {
	s := &rssSampler{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			if rss, err := rssBytes(pid); err == nil {
				s.samples.Add(1)
				if rss > s.max.Load() {
					s.max.Store(rss)
				}
			} else {
				s.errs.Add(1)
			}
			select {
			case <-s.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return s
}

func (s *rssSampler) Stop() { close(s.stop); <-s.done }

// routerBodies renders realistic drain bodies: batches of router lines
// with a few app lines mixed in, cut the way Logplex cuts them (just under
// 100 KB each).
func routerBodies(n int) [][]byte {
	base := time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)
	var msgs []logplextest.Message
	for i := 0; len(msgs) < n*400; i++ {
		ts := base.Add(time.Duration(i) * 3 * time.Millisecond)
		if i%10 == 9 {
			msgs = append(msgs, logplextest.Message{
				PRI: logplextest.PRIApp, Time: ts, AppName: "app", ProcID: "web." + strconv.Itoa(1+i%3),
				Msg: fmt.Sprintf(`I, [2025-03-14T09:00:00.%06d #%d]  INFO -- : [%08x-req] Completed 200 OK in %dms (Views: %.1fms | ActiveRecord: %.1fms)`,
					i%1000000, 4+i%8, i*2654435761, 5+i%400, float64(i%97)/3, float64(i%61)/7),
			})
			continue
		}
		status := 200
		if i%53 == 0 {
			status = 503
		}
		msgs = append(msgs, logplextest.Message{
			PRI: logplextest.PRIRouter, Time: ts, AppName: "heroku", ProcID: "router",
			Msg: fmt.Sprintf(`at=info method=GET path="/api/v2/orders/%d/items?page=%d" host=acme-web-1a2b3c4d5e6f.herokuapp.com request_id=%08x-6a83-4c12-8269-%012x fwd="203.0.113.%d" dyno=web.%d connect=%dms service=%dms status=%d bytes=%d protocol=https`,
				i%99991, i%7, i*2654435761, i*40503, i%250, 1+i%3, i%3, 2+i%700, status, 200+i%9000),
		})
	}
	var bodies [][]byte
	for _, b := range logplextest.Batches(msgs, 0, 0) {
		if len(bodies) == n {
			break
		}
		bodies = append(bodies, logplextest.Body(b))
	}
	return bodies
}

// drainPost is one POST as Logplex sends it, with a fresh Frame-Id. It
// returns the status (0 on a transport error) and the time to the status
// line and headers, which is what Logplex's 5 s timeout covers.
func drainPost(ctx context.Context, hc *http.Client, url string, body []byte) (int, time.Duration, error) {
	frames, err := logplextest.SplitFrames(body)
	if err != nil {
		return 0, 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Content-Type", logplextest.ContentType)
	req.Header.Set("Logplex-Msg-Count", strconv.Itoa(len(frames)))
	req.Header.Set("Logplex-Frame-Id", logplextest.NewFrameID())
	req.Header.Set("Logplex-Drain-Token", SampleToken)
	req.Header.Set("User-Agent", logplextest.DefaultUserAgent)
	start := time.Now()
	resp, err := hc.Do(req)
	took := time.Since(start)
	if err != nil {
		return 0, took, err
	}
	_, _ = bytes.NewBuffer(nil).ReadFrom(resp.Body)
	resp.Body.Close()
	return resp.StatusCode, took, nil
}

func latencyPercentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p * float64(len(sorted)-1))
	return sorted[i]
}

// latencyStats summarizes latencies as count, p50, p99 and max.
func latencyStats(d []time.Duration) string {
	s := slices.Clone(d)
	slices.Sort(s)
	if len(s) == 0 {
		return "n=0"
	}
	return fmt.Sprintf("n=%d p50=%v p99=%v max=%v", len(s),
		latencyPercentile(s, 0.50).Round(100*time.Microsecond), latencyPercentile(s, 0.99).Round(100*time.Microsecond), s[len(s)-1].Round(100*time.Microsecond))
}

// TestOverloadSheds503FastWithBoundedMemory hammers the collector with
// ~100 KB Logplex batches from several senders while the OTLP backend is
// down. The exporter's in-memory queue fills and memory_limiter (first in
// the pipeline, small absolute limit) starts refusing: the receiver must
// answer 503 (which Logplex retries), never another 4xx and never so late
// that Logplex's 5 s timeout fires, and the collector's RSS must stay
// bounded. When the load stops and the backend recovers, the collector
// drains its queue and accepts again.
func TestOverloadSheds503FastWithBoundedMemory(t *testing.T) {
	const (
		senders  = 6
		loadTime = 20 * time.Second
		// memory_limiter compares the Go heap (not RSS) with these. The idle
		// collector has a heap of ~10 MiB and an RSS of ~60 MiB (logged
		// below), so 120 MiB leaves room for normal traffic and is reached
		// within seconds once the backend is down.
		limitMiB = 120
		spikeMiB = 30 // soft limit = 90 MiB: refuse above it
		// 80% of limit_mib.
		goMemLimit = "96MiB"
		// RSS bound: heap limit + Go runtime and GC overhead, binary text and
		// the idle footprint. 100 MiB over limit_mib.
		rssBound = (limitMiB + 100) * oneMiB
	)
	Binary(t)
	sink := NewOTLPSink(t)
	sink.OnLogs(nil, false) // count only
	sink.OnMetrics(nil, false)
	ep := Endpoints{Receiver: FreeAddr(t), Health: FreeAddr(t), OTLP: sink.URL()}
	cfg := PipelineConfig(ep)
	cfg.Set(map[string]any{"check_interval": "100ms", "limit_mib": limitMiB, "spike_limit_mib": spikeMiB}, "processors", "memory_limiter")
	for _, p := range []string{"logs", "metrics"} {
		// No batch processor: it would answer nil before the exporter's
		// queue has a say, and drop what the full queue refuses after the 2xx.
		cfg.Set([]string{"memory_limiter", "herokuapp"}, "service", "pipelines", p, "processors")
	}
	cfg.Set(map[string]any{
		"enabled": true, "initial_interval": "100ms", "max_interval": "1s", "max_elapsed_time": "0s",
	}, "exporters", "otlp_http", "retry_on_failure")
	cfg.Set(map[string]any{
		// Bounded, in memory, refuse when full. 1000 requests (one per drain
		// POST) is far more than the heap limit allows, so memory_limiter is
		// what bounds memory here.
		"enabled": true, "num_consumers": 4, "sizer": "requests", "queue_size": 1000, "block_on_overflow": false,
	}, "exporters", "otlp_http", "sending_queue")
	col := NewCollector(t, cfg, ep)
	// The Go runtime's soft memory limit, as memorylimiterprocessor's
	// README recommends (80% of limit_mib). Without it the GC lets garbage
	// grow to twice the live heap between collections: refused requests
	// are parsed before memory_limiter refuses them, so an overloaded
	// collector makes garbage at the rate it receives data.
	col.Env = append(col.Env, "GOMEMLIMIT="+goMemLimit)
	col.Start()
	pid := col.PID()
	time.Sleep(time.Second)
	idle, err := rssBytes(pid)
	if err != nil {
		t.Fatal(err)
	}

	bodies := routerBodies(8)
	var bodyBytes, lines int
	bodyLines := make([]int, len(bodies))
	for i, b := range bodies {
		bodyBytes += len(b)
		f, _ := logplextest.SplitFrames(b)
		bodyLines[i] = len(f)
		lines += len(f)
	}
	t.Logf("idle RSS %.1f MiB; memory_limiter limit_mib=%d spike_limit_mib=%d check_interval=100ms, GOMEMLIMIT=%s; bodies: %d of %.1f KB avg, %d lines avg",
		float64(idle)/oneMiB, limitMiB, spikeMiB, goMemLimit, len(bodies), float64(bodyBytes)/float64(len(bodies))/1000, lines/len(bodies))

	hc := &http.Client{
		Timeout: logplextest.DefaultRequestTimeout,
		Transport: &http.Transport{
			DialContext:         (&net.Dialer{Timeout: logplextest.DefaultConnectTimeout}).DialContext,
			DisableCompression:  true,
			MaxIdleConnsPerHost: senders,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	url := ep.DrainURL("")

	sink.SetFailureRate(1) // backend down
	rss := sampleRSS(pid, 50*time.Millisecond)
	type result struct {
		status int
		took   time.Duration
		err    error
		at     time.Duration
		lines  int
	}
	var mu sync.Mutex
	var results []result
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), loadTime)
	defer cancel()
	var wg sync.WaitGroup
	for i := range senders {
		wg.Go(func() {
			for j := i; ctx.Err() == nil; j++ {
				status, took, err := drainPost(context.Background(), hc, url, bodies[j%len(bodies)])
				mu.Lock()
				results = append(results, result{status, took, err, time.Since(start), bodyLines[j%len(bodies)]})
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	loadDur := time.Since(start)
	rss.Stop()

	var ok2xx, n503 []time.Duration
	ackedLines := 0
	other := map[string]int{}
	first503 := time.Duration(-1)
	for _, r := range results {
		switch {
		case r.err != nil:
			other["transport error: "+r.err.Error()]++
		case r.status/100 == 2:
			ok2xx = append(ok2xx, r.took)
			ackedLines += r.lines
		case r.status == http.StatusServiceUnavailable:
			n503 = append(n503, r.took)
			if first503 < 0 {
				first503 = r.at
			}
		default:
			other[strconv.Itoa(r.status)]++
		}
	}
	maxRSS := rss.max.Load()
	sinkStats := sink.Stats()
	t.Logf("load: %d senders for %v: %d requests (%.0f/s, %.1f MB/s of drain data); backend refused %d exports",
		senders, loadDur.Round(time.Millisecond), len(results), float64(len(results))/loadDur.Seconds(),
		float64(len(results))*float64(bodyBytes)/float64(len(bodies))/loadDur.Seconds()/1e6, sinkStats.Refused)
	t.Logf("2xx: %s", latencyStats(ok2xx))
	t.Logf("503: %s (first after %v)", latencyStats(n503), first503.Round(time.Millisecond))
	t.Logf("RSS: idle %.1f MiB, max %.1f MiB over %d samples (bound %d MiB)", float64(idle)/oneMiB, float64(maxRSS)/oneMiB, rss.samples.Load(), rssBound/oneMiB)
	stderr := col.Stderr()
	t.Logf("collector log: %d memory_limiter refusals logged (\"above soft limit\"), %d forced GCs logged (\"above hard limit\"), %d \"queue is full\"",
		strings.Count(stderr, "soft limit"), strings.Count(stderr, "hard limit"), strings.Count(stderr, "queue is full"))

	if len(other) > 0 {
		t.Errorf("answers other than 2xx and 503: %v", other)
	}
	if len(n503) == 0 {
		t.Fatalf("the collector never answered 503 in %v of load: not overloaded", loadDur)
	}
	slices.Sort(n503)
	if p99 := latencyPercentile(n503, 0.99); p99 >= time.Second {
		t.Errorf("p99 latency of 503 answers is %v, want < 1s (Logplex gives up after 5 s)", p99)
	}
	if maxRSS >= rssBound {
		t.Errorf("max RSS %.1f MiB, want < %d MiB (limit_mib %d + 100 MiB)", float64(maxRSS)/oneMiB, rssBound/oneMiB, limitMiB)
	}
	if rss.errs.Load() > 0 {
		t.Errorf("%d RSS samples failed (did the collector exit?)", rss.errs.Load())
	}
	if !col.Running() {
		t.Fatal("the collector is not running after the load")
	}

	// Backend back: the queue drains and the collector accepts again.
	sink.SetFailureRate(0)
	recoverStart := time.Now()
	var lastStatus int
	var lastErr error
	accepted := Eventually(30*time.Second, func() bool {
		lastStatus, _, lastErr = drainPost(context.Background(), hc, url, bodies[0])
		if lastStatus/100 == 2 {
			return true
		}
		time.Sleep(200 * time.Millisecond)
		return false
	})
	if !accepted {
		t.Fatalf("30 s after the backend recovered the collector still answers %d (%v)", lastStatus, lastErr)
	}
	backIn := time.Since(recoverStart)
	ackedLines += bodyLines[0]
	// Nothing that was acknowledged is lost: the in-memory queue kept it
	// (no crash here) and delivers it now. More may arrive: the exporter
	// retries what it sent while the backend failed.
	sink.WaitFor(30*time.Second, func() bool { return sink.LogRecordCount() >= ackedLines })
	delivered := sink.LogRecordCount()
	t.Logf("recovery: 2xx again %v after the backend came back; %d lines acknowledged in all, %d log records and %d data points delivered",
		backIn.Round(time.Millisecond), ackedLines, delivered, sink.DataPointCount())
	if delivered < ackedLines {
		t.Errorf("%d log records delivered after recovery, want at least the %d acknowledged lines", delivered, ackedLines)
	}
}
