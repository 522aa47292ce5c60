package e2e

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"math/rand/v2"
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

// TestMillionLinesExactlyOnce sends 1,000,000 app lines, each with a unique
// sequence number, through the collector with the Logplex-faithful client,
// while the OTLP server refuses ~10% of the exporter's requests with 503.
// The exporter's retry_on_failure and sending_queue absorb the refusals,
// the receiver answers 503 when the pipeline refuses (so Logplex retries)
// and de-duplicates retried Frame-Ids, so every sequence number must reach
// the OTLP server exactly once.
//
// To make Logplex retries happen for sure, the client's transport loses the
// response to 5% of first attempts after the collector has handled them
// (as when the collector answers after Logplex's 5 s timeout or the
// connection breaks): Logplex then re-sends the batch with the same
// Frame-Id, and only the receiver's de-duplication keeps it from arriving
// twice.
func TestMillionLinesExactlyOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the 1,000,000-line run")
	}
	const (
		total   = 1_000_000
		drains  = 4 // concurrent Logplex senders (one drain process each)
		failPct = 0.10
	)
	seen := make([]uint8, total) // arrivals per sequence number, saturating
	var other []string           // bodies without a sequence number (e.g. an L10)
	sink := NewOTLPSink(t)
	sink.OnLogs(func(ld plog.Logs) {
		rls := ld.ResourceLogs()
		for i := 0; i < rls.Len(); i++ {
			sls := rls.At(i).ScopeLogs()
			for j := 0; j < sls.Len(); j++ {
				lrs := sls.At(j).LogRecords()
				for k := 0; k < lrs.Len(); k++ {
					body := lrs.At(k).Body().Str()
					seq, ok := parseSeq(body)
					if !ok || seq >= total {
						if len(other) < 20 {
							other = append(other, body)
						}
						continue
					}
					if seen[seq] < 255 {
						seen[seq]++
					}
				}
			}
		}
	}, false)
	sink.SetFailureRate(failPct)

	Binary(t)
	ep := Endpoints{Receiver: FreeAddr(t), Health: FreeAddr(t), OTLP: sink.URL()}
	cfg := PipelineConfig(ep)
	cfg.Delete("service", "pipelines", "metrics")
	// Smaller batches than the default 8192 mean more exporter requests,
	// so more of them are refused and retried.
	cfg.Set(map[string]any{"timeout": "500ms", "send_batch_size": 2048, "send_batch_max_size": 2048}, "processors", "batch")
	cfg.Set(map[string]any{
		"enabled": true, "initial_interval": "10ms", "max_interval": "200ms", "max_elapsed_time": "0s",
	}, "exporters", "otlp_http", "retry_on_failure")
	cfg.Set(map[string]any{
		"enabled": true, "num_consumers": 4, "queue_size": 2000, "block_on_overflow": true,
	}, "exporters", "otlp_http", "sending_queue")
	StartCollector(t, cfg, ep) // its stderr tail is logged if the test fails

	lossy := &lossyTransport{
		base: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: drains},
		rate: 0.05,
		rnd:  rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7)),
	}
	hc := &http.Client{
		Transport:     lossy,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	clients := make([]*logplextest.Client, drains)
	for i := range clients {
		c, err := logplextest.NewClient(logplextest.Config{URL: ep.DrainURL(""), Token: SampleToken, HTTPClient: hc})
		if err != nil {
			t.Fatal(err)
		}
		clients[i] = c
	}

	base := time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)
	lines := func(drain int) iter.Seq[logplextest.Message] {
		return func(yield func(logplextest.Message) bool) {
			for seq := drain; seq < total; seq += drains {
				m := logplextest.Message{
					PRI:     logplextest.PRIApp,
					Time:    base.Add(time.Duration(seq) * time.Microsecond),
					AppName: "app",
					ProcID:  "web." + strconv.Itoa(drain+1),
					Msg: fmt.Sprintf("seq=%07d method=GET path=/orders/%d status=200 duration=%dms user_agent=\"loadtest/1.0\"",
						seq, seq%9973, seq%250),
				}
				if !yield(m) {
					return
				}
			}
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for i, c := range clients {
		wg.Go(func() { _ = c.SendSeq(ctx, lines(i)) })
	}
	wg.Wait()
	sent := time.Since(start)

	var st logplextest.Stats
	for _, c := range clients {
		s := c.Stats()
		st.Requests += s.Requests
		st.Retries += s.Retries
		st.SentBatches += s.SentBatches
		st.SentMessages += s.SentMessages
		st.DroppedBatches += s.DroppedBatches
		st.DroppedMessages += s.DroppedMessages
	}
	t.Logf("Logplex side: %d batches acknowledged, %d requests, %d retries (%d after a lost response), %d batches (%d messages) dropped, in %v",
		st.SentBatches, st.Requests, st.Retries, lossy.lost.Load(), st.DroppedBatches, st.DroppedMessages, sent.Round(time.Millisecond))

	// Wait for everything to arrive, or for progress to stop for 30 s.
	last, lastChange := -1, time.Now()
	sink.WaitFor(5*time.Minute, func() bool {
		n := sink.LogRecordCount()
		if n != last {
			last, lastChange = n, time.Now()
		}
		return n >= total || time.Since(lastChange) > 30*time.Second
	})
	elapsed := time.Since(start)
	time.Sleep(time.Second) // catch late duplicates
	arrived := sink.LogRecordCount()
	ss := sink.Stats()
	t.Logf("OTLP side: %d log records arrived; %d exporter requests, %d refused with 503 (%.1f%%)",
		arrived, ss.Requests, ss.Refused, 100*float64(ss.Refused)/float64(max(ss.Requests, 1)))
	t.Logf("throughput: %d lines in %v = %.0f lines/s end to end (sending took %v, %.0f lines/s)",
		total, elapsed.Round(time.Millisecond), float64(total)/elapsed.Seconds(), sent.Round(time.Millisecond), float64(total)/sent.Seconds())

	var missing, dups []int
	nMissing, nDups := 0, 0
	sink.Locked(func() { // seen is written by OnLogs under the sink's lock
		for seq, n := range seen {
			switch {
			case n == 0:
				nMissing++
				if len(missing) < 10 {
					missing = append(missing, seq)
				}
			case n > 1:
				nDups++
				if len(dups) < 10 {
					dups = append(dups, seq)
				}
			}
		}
	})
	if st.DroppedMessages > 0 {
		t.Errorf("the Logplex client dropped %d messages in %d batches (4xx or 3 failed tries); they cannot arrive", st.DroppedMessages, st.DroppedBatches)
	}
	if nMissing > 0 {
		t.Errorf("%d of %d sequence numbers never arrived (first: %v)", nMissing, total, missing)
	}
	if nDups > 0 {
		t.Errorf("%d sequence numbers arrived more than once (first: %v)", nDups, dups)
	}
	if len(other) > 0 {
		t.Errorf("records without a sequence number arrived: %q", other)
	}
	if arrived != total && nMissing == 0 && nDups == 0 {
		t.Errorf("%d records arrived, want %d", arrived, total)
	}
}

// lossyTransport handles requests normally but, for a share of the first
// attempts of each Frame-Id, throws the response away and reports an
// error, so the client retries a batch the collector already accepted.
type lossyTransport struct {
	base  http.RoundTripper
	rate  float64
	mu    sync.Mutex
	rnd   *rand.Rand
	tried map[string]bool
	lost  atomic.Int64
}

func (l *lossyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := l.base.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	id := req.Header.Get("Logplex-Frame-Id")
	l.mu.Lock()
	if l.tried == nil {
		l.tried = map[string]bool{}
	}
	first := !l.tried[id]
	l.tried[id] = true
	lose := first && resp.StatusCode/100 == 2 && l.rnd.Float64() < l.rate
	l.mu.Unlock()
	if !lose {
		return resp, nil
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	l.lost.Add(1)
	return nil, errors.New("e2e: response lost on purpose")
}

// parseSeq reads the number after a leading "seq=".
func parseSeq(body string) (int, bool) {
	rest, ok := strings.CutPrefix(body, "seq=")
	if !ok {
		return 0, false
	}
	end := strings.IndexByte(rest, ' ')
	if end < 0 {
		end = len(rest)
	}
	n, err := strconv.Atoi(rest[:end])
	return n, err == nil
}
