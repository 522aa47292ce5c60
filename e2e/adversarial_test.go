//go:build adversarial

// The adversarial suite (`make test-adversarial`): hostile input and bad
// backends against the built otelcol-heroku running the shipped configs,
// on loopback only. Each probe is bounded in time and asserts its bound;
// the figures it logs are recorded in docs/delivery.md.
package e2e

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/logplextest"
)

// rssLimit is the bound every probe holds the collector's RSS to, with no
// GOMEMLIMIT set.
const rssLimit = 150 * oneMiB

// adversarialProbe runs the shipped otlp_grpc.yaml against a strict gRPC backend and
// samples the collector's RSS until the test ends, then checks the bound.
func adversarialProbe(t *testing.T) (*grpcSink, *Collector, Endpoints, *rssSampler) {
	t.Helper()
	sink, c, ep := startGRPCCollector(t)
	rss := sampleRSS(c.PID(), 20*time.Millisecond)
	t.Cleanup(func() { checkRSS(t, rss) })
	return sink, c, ep, rss
}

func checkRSS(t *testing.T, rss *rssSampler) {
	t.Helper()
	rss.Stop()
	peak := rss.max.Load()
	t.Logf("peak RSS %d MiB (%d samples)", peak/oneMiB, rss.samples.Load())
	if peak > rssLimit {
		t.Errorf("peak RSS %d MiB is over the %d MiB bound", peak/oneMiB, rssLimit/oneMiB)
	}
}

// seqLine is line n of sender s: every line unique, so that what was
// acknowledged can be looked up in what arrived.
func seqLine(s, n int) string {
	return fmt.Sprintf("sender=%02d seq=%07d method=POST path=/checkout/%d status=201 duration=%dms", s, n, n%997, n%300)
}

// seqBody is one Logplex batch (just under 100 KB) of sender s's lines from
// n on; it returns the lines and the next n.
func seqBody(s, n int) ([]string, []byte, int) {
	var msgs []logplextest.Message
	var lines []string
	for size := 0; size < 95_000; n++ {
		line := seqLine(s, n)
		msgs = append(msgs, logplextest.Message{PRI: logplextest.PRIApp, Time: time.Now(), AppName: "app", ProcID: "web.1", Msg: line})
		lines = append(lines, line)
		size += len(line) + 60
	}
	return lines, logplextest.Body(msgs), n
}

// loadResult is what a set of senders saw.
type loadResult struct {
	mu       sync.Mutex
	statuses map[int]int
	errs     map[string]int
	acked    []string
	slowest  time.Duration
}

func (r *loadResult) String() string {
	return fmt.Sprintf("statuses %v, transport errors %v, %d lines acknowledged, slowest answer %v", r.statuses, r.errs, len(r.acked), r.slowest.Round(time.Millisecond))
}

// load runs senders that post Logplex batches (one Frame-Id each, not
// retried) until ctx ends.
func load(ctx context.Context, url string, senders int) *loadResult {
	res := &loadResult{statuses: map[int]int{}, errs: map[string]int{}}
	var wg sync.WaitGroup
	for s := range senders {
		wg.Go(func() {
			hc := &http.Client{Timeout: 10 * time.Second}
			defer hc.CloseIdleConnections()
			n := 0
			for ctx.Err() == nil {
				lines, body, next := seqBody(s, n)
				start := time.Now()
				code, err := postLikeLogplex(hc, url, body, 1)
				took := time.Since(start)
				res.mu.Lock()
				res.slowest = max(res.slowest, took)
				if err != nil {
					res.errs[errClass(err)]++
				} else {
					res.statuses[code]++
					if code == http.StatusOK {
						res.acked = append(res.acked, lines...)
						n = next
					}
				}
				res.mu.Unlock()
				if code == http.StatusServiceUnavailable {
					time.Sleep(100 * time.Millisecond)
				}
			}
		})
	}
	wg.Wait()
	return res
}

func errClass(err error) string {
	s := err.Error()
	for _, c := range []string{"connection refused", "connection reset", "EOF", "timeout", "broken pipe"} {
		if strings.Contains(s, c) {
			return c
		}
	}
	return s
}

// lost counts acknowledged lines that did not arrive, waiting up to wait.
func lost(sink *grpcSink, acked []string, wait time.Duration) int {
	missing := 0
	Eventually(wait, func() bool {
		missing = 0
		for _, l := range acked {
			if sink.Delivered(l) == 0 {
				missing++
			}
		}
		return missing == 0
	})
	return missing
}

func TestAdversarialSlowloris(t *testing.T) {
	_, _, ep, _ := adversarialProbe(t)
	const conns = 200
	closed := make(chan time.Duration, conns)
	for range conns {
		go func() {
			start := time.Now()
			c, err := net.Dial("tcp", ep.Receiver)
			if err != nil {
				closed <- -1
				return
			}
			defer c.Close()
			_, _ = io.WriteString(c, "POST /logs HTTP/1.1\r\nHost: x\r\nX-Slow: ")
			for time.Since(start) < 15*time.Second {
				if _, err := c.Write([]byte("a")); err != nil {
					break
				}
				_ = c.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
				if _, err := c.Read(make([]byte, 1)); err != nil && !isTimeout(err) {
					break // the server closed it
				}
			}
			closed <- time.Since(start)
		}()
	}
	time.Sleep(time.Second)
	hc := &http.Client{Timeout: 5 * time.Second}
	lines, body, _ := seqBody(0, 0)
	start := time.Now()
	code, err := postLikeLogplex(hc, ep.DrainURL(""), body, 1)
	t.Logf("a real batch (%d lines) during the attack: %d in %v", len(lines), code, time.Since(start).Round(time.Millisecond))
	if err != nil || code != http.StatusOK {
		t.Errorf("a real sender is not served during a slowloris attack: %d %v", code, err)
	}
	var longest time.Duration
	for range conns {
		d := <-closed
		if d < 0 {
			t.Fatal("could not connect")
		}
		longest = max(longest, d)
	}
	t.Logf("%d slow connections, all cut after at most %v", conns, longest.Round(time.Millisecond))
	if longest > 7*time.Second {
		t.Errorf("a slow client held a connection for %v; read_header_timeout is 5s", longest)
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func TestAdversarialGzipBomb(t *testing.T) {
	sink, _, ep, _ := adversarialProbe(t)
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zero := make([]byte, 1<<20)
	for range 512 { // 512 MiB inflated
		_, _ = zw.Write(zero)
	}
	_ = zw.Close()
	for i := range 4 {
		req, _ := http.NewRequest(http.MethodPost, ep.DrainURL(""), bytes.NewReader(buf.Bytes()))
		req.Header.Set("Content-Encoding", "gzip")
		req.Header.Set("Logplex-Frame-Id", logplextest.NewFrameID())
		start := time.Now()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("bomb %d: %v", i, err)
		}
		_ = resp.Body.Close()
		t.Logf("bomb %d: %d KiB compressed, 512 MiB inflated: %d in %v", i, buf.Len()>>10, resp.StatusCode, time.Since(start).Round(time.Millisecond))
		if resp.StatusCode >= 500 || time.Since(start) > 5*time.Second {
			t.Errorf("bomb %d: status %d after %v", i, resp.StatusCode, time.Since(start))
		}
	}
	_, body, _ := seqBody(1, 0)
	if code, err := postLikeLogplex(http.DefaultClient, ep.DrainURL(""), body, 1); err != nil || code != http.StatusOK {
		t.Errorf("after the bombs: %d %v", code, err)
	}
	if !Eventually(10*time.Second, func() bool { return sink.Records() > 0 }) {
		t.Error("a real batch after the bombs was not delivered")
	}
	t.Logf("records delivered after the bombs: %d", sink.Records())
}

func TestAdversarialHugeBodyAndHeaders(t *testing.T) {
	sink, _, ep, _ := adversarialProbe(t)
	frame := []byte(fmt.Sprintf("%d %s", len(routerLineText)+1, routerLineText+"\n"))
	for i := range 3 {
		body := io.LimitReader(repeatReader(frame), 64<<20)
		req, _ := http.NewRequest(http.MethodPost, ep.DrainURL(""), body)
		req.ContentLength = 64 << 20
		req.Header.Set("Logplex-Frame-Id", logplextest.NewFrameID())
		start := time.Now()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Logf("64 MiB body %d: %v after %v (the server stopped reading at max_request_body_size)", i, err, time.Since(start).Round(time.Millisecond))
			continue
		}
		_ = resp.Body.Close()
		t.Logf("64 MiB body %d: %d in %v", i, resp.StatusCode, time.Since(start).Round(time.Millisecond))
		// 200: the frames before the limit are kept; 503: the exporter queue
		// is full of the previous bodies' 1 MiB (a retry is right).
		if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("64 MiB body: status %d, want 200 (frames before the limit kept) or 503", resp.StatusCode)
		}
	}
	if !Eventually(10*time.Second, func() bool { return sink.Records() > 0 }) {
		t.Error("the frames before the limit were not delivered")
	}
	for _, size := range []int{900 << 10, 2 << 20} {
		req, _ := http.NewRequest(http.MethodPost, ep.DrainURL(""), strings.NewReader(string(frame)))
		req.Header.Set("X-Huge", strings.Repeat("h", size))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Errorf("%d-byte header: %v", size, err)
			continue
		}
		_ = resp.Body.Close()
		t.Logf("%d KiB header: %d", size>>10, resp.StatusCode)
		if want := map[bool]int{true: http.StatusOK, false: http.StatusRequestHeaderFieldsTooLarge}[size < 1<<20]; resp.StatusCode != want {
			t.Errorf("%d-byte header: status %d, want %d", size, resp.StatusCode, want)
		}
	}
}

const routerLineText = `<158>1 2012-10-11T03:47:20+00:00 host heroku router - at=info method=GET path="/" host=example-app-1234567890ab.herokuapp.com request_id=8601b555-6a83-4c12-8269-97c8e32cdb22 fwd="204.204.204.204" dyno=web.1 connect=1ms service=18ms status=200 bytes=13 protocol=https`

type repeatReader []byte

func (r repeatReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		n += copy(p[n:], r)
	}
	return n, nil
}

func TestAdversarialFrameIdFlood(t *testing.T) {
	// otlp_grpc.yaml with the collector's own metrics on a loopback
	// Prometheus endpoint, to read the receiver's dedupe_skipped counter.
	sink := newGRPCSink(t)
	ep := Endpoints{Receiver: FreeAddr(t), Health: FreeAddr(t)}
	metricsAddr := FreeAddr(t)
	host, port, _ := net.SplitHostPort(metricsAddr)
	portNum, _ := strconv.Atoi(port)
	cfg := grpcConfig(t)
	cfg.Set(map[string]any{
		"level":   "normal",
		"readers": []any{map[string]any{"pull": map[string]any{"exporter": map[string]any{"prometheus": map[string]any{"host": host, "port": portNum}}}}},
	}, "service", "telemetry", "metrics")
	c := NewCollector(t, cfg, ep)
	c.Env = grpcEnv(ep, sink.Addr)
	c.Start()
	rss := sampleRSS(c.PID(), 20*time.Millisecond)
	t.Cleanup(func() { checkRSS(t, rss) })
	frame := fmt.Sprintf("%d %s", len(routerLineText)+1, routerLineText+"\n")
	post := func(hc *http.Client, id string) int {
		req, _ := http.NewRequest(http.MethodPost, ep.DrainURL(""), strings.NewReader(frame))
		req.Header.Set("Logplex-Frame-Id", id)
		resp, err := hc.Do(req)
		if err != nil {
			return 0
		}
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	run := func(what string, n int, id func(int) string) {
		var ok atomic.Int64
		var wg sync.WaitGroup
		start := time.Now()
		for w := range 16 {
			wg.Go(func() {
				hc := &http.Client{Timeout: 10 * time.Second}
				for i := w; i < n; i += 16 {
					if post(hc, id(i)) == http.StatusOK {
						ok.Add(1)
					}
				}
			})
		}
		wg.Wait()
		t.Logf("%s: %d of %d answered 200 in %v", what, ok.Load(), n, time.Since(start).Round(time.Millisecond))
		if ok.Load() != int64(n) {
			t.Errorf("%s: %d of %d answered 200", what, ok.Load(), n)
		}
	}
	run("20,000 fresh well-formed Frame-Ids", 20_000, func(int) string { return logplextest.NewFrameID() })
	run("300 Frame-Ids of 1,000,000 bytes", 300, func(i int) string { return fmt.Sprintf("%07d", i) + strings.Repeat("F", 1_000_000-7) })
	// One record per request, each id different: nothing is a duplicate.
	const want = 20_000 + 300
	if !Eventually(30*time.Second, func() bool { return sink.Records() >= want }) || sink.Records() != want {
		t.Errorf("%d records delivered, want %d (one per request)", sink.Records(), want)
	}
	var skipped float64
	Eventually(10*time.Second, func() bool {
		skipped = scrapeCounter(t, "http://"+metricsAddr+"/metrics", "otelcol_receiver_herokudrain_dedupe_skipped", `reason="malformed_id"`)
		return skipped >= 300
	})
	t.Logf("records delivered: %d; dedupe_skipped{reason=malformed_id} = %v", sink.Records(), skipped)
	if skipped != 300 {
		t.Errorf("dedupe_skipped{reason=malformed_id} = %v, want 300 (one per long id)", skipped)
	}
}

// scrapeCounter sums the samples of a metric (any suffix, e.g. _total)
// whose labels contain label, from a Prometheus text endpoint.
func scrapeCounter(t *testing.T, url, metric, label string) float64 {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Logf("scraping %s: %v", url, err)
		return 0
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(resp.Body)
	var sum float64
	for _, line := range strings.Split(string(text), "\n") {
		if !strings.HasPrefix(line, metric) || !strings.Contains(line, label) {
			continue
		}
		if v, err := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64); err == nil {
			sum += v
		}
	}
	return sum
}

func TestAdversarialInvalidUTF8AndNULBytes(t *testing.T) {
	sink, _, ep, _ := adversarialProbe(t)
	var msgs []logplextest.Message
	var want []string
	for i := range 100 {
		msg := fmt.Sprintf(`at=info method=GET path="/ok/%d" host=a.herokuapp.com request_id=8601b555-6a83-4c12-8269-97c8e32cdb22 fwd="1.2.3.4" dyno=web.1 connect=1ms service=18ms status=200 bytes=13 protocol=https`, i)
		msgs = append(msgs, logplextest.Message{PRI: logplextest.PRIRouter, Time: time.Now(), AppName: "heroku", ProcID: "router", Msg: msg})
		want = append(want, msg)
	}
	for _, bad := range []string{
		`at=info method=GET path="/caf` + "\xe9" + `" host=a.herokuapp.com request_id=8601b555-6a83-4c12-8269-97c8e32cdb22 fwd="1.2.3.4" dyno=web.1 connect=1ms service=18ms status=200 bytes=13 protocol=https`,
		"count#caf\xe9=1 sample#x\xff=2 measure#y\xfe=3ms nul\x00byte",
	} {
		msgs = append(msgs, logplextest.Message{PRI: logplextest.PRIApp, Time: time.Now(), AppName: "ap\xffp", ProcID: "web.\xfe1", Msg: bad})
	}
	code, err := postLikeLogplex(http.DefaultClient, ep.DrainURL("app=caf%E9"), logplextest.Body(msgs), 1)
	if err != nil || code != http.StatusOK {
		t.Fatalf("status %d %v", code, err)
	}
	if !Eventually(15*time.Second, func() bool { return sink.Records() >= len(msgs) }) {
		t.Errorf("%d of %d records reached the strict backend; it refused %d requests", sink.Records(), len(msgs), sink.refused.Load())
	}
	for _, w := range want {
		if sink.Delivered(w) != 1 {
			t.Errorf("good line not delivered once: %s", w)
			break
		}
	}
	t.Logf("%d records (100 good, 2 with invalid UTF-8 and NUL bytes) delivered to a strict backend; %d requests refused", sink.Records(), sink.refused.Load())
	if sink.refused.Load() != 0 {
		t.Errorf("the strict backend refused %d requests", sink.refused.Load())
	}
}

func TestAdversarialSlowBackend(t *testing.T) {
	sink, _, ep, _ := adversarialProbe(t)
	sink.delay.Store(int64(3 * time.Second))
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	res := load(ctx, ep.DrainURL(""), 16)
	t.Logf("backend taking 3 s per export, 16 senders for 15 s: %s", res)
	sink.delay.Store(0)
	missing := lost(sink, res.acked, 60*time.Second)
	t.Logf("%d of %d acknowledged lines lost", missing, len(res.acked))
	if missing > 0 {
		t.Errorf("%d acknowledged lines lost", missing)
	}
	if len(res.errs) > 0 || res.slowest > 5*time.Second {
		t.Errorf("Logplex would have timed out: %s", res)
	}
}

func TestAdversarialSIGTERMUnderLoad(t *testing.T) {
	sink, c, ep, _ := adversarialProbe(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan *loadResult)
	go func() { done <- load(ctx, ep.DrainURL(""), 16) }()
	time.Sleep(4 * time.Second)
	start := time.Now()
	if err := c.Stop(); err != nil {
		t.Errorf("stopping: %v", err)
	}
	stopped := time.Since(start)
	cancel()
	res := <-done
	missing := lost(sink, res.acked, 10*time.Second)
	t.Logf("SIGTERM under 16 senders: stopped in %v; %s; %d of %d acknowledged lines lost", stopped.Round(time.Millisecond), res, missing, len(res.acked))
	if missing > 0 {
		t.Errorf("%d acknowledged lines lost", missing)
	}
	if n := res.errs["connection reset"] + res.errs["EOF"]; n > 0 {
		t.Errorf("%d requests cut off instead of answered", n)
	}
}

// forEachBody calls fn with the body of every record in ld.
func forEachBody(ld plog.Logs, fn func(string)) {
	for i := 0; i < ld.ResourceLogs().Len(); i++ {
		sls := ld.ResourceLogs().At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			lrs := sls.At(j).LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				fn(lrs.At(k).Body().AsString())
			}
		}
	}
}
