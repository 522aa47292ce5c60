package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/collector/confmap/confmaptest"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/logplextest"
)

// durableConfigFile is the documented durable configuration the
// durability tests run.
var durableConfigFile = filepath.Join("..", "testdata", "collector", "durable.yaml")

// durableConfig loads testdata/collector/durable.yaml as a Config. Its
// ${env:...} references stay in place; durableEnv supplies them.
func durableConfig(t testing.TB) Config {
	t.Helper()
	conf, err := confmaptest.LoadConf(durableConfigFile)
	if err != nil {
		t.Fatalf("loading %s: %v", durableConfigFile, err)
	}
	cfg := Config(conf.ToStringMap())
	// The file keeps the collector's own metrics on localhost:8888, as a
	// deployment wants; tests turn them off so that collectors running at
	// the same time do not fight over the port.
	cfg.Set("none", "service", "telemetry", "metrics", "level")
	return cfg
}

// durableEnv is the environment durable.yaml reads.
func durableEnv(ep Endpoints, storageDir string) []string {
	return []string{
		"HEALTH_ENDPOINT=" + ep.Health,
		"HEROKUDRAIN_ENDPOINT=" + ep.Receiver,
		"OTLP_ENDPOINT=" + ep.OTLP,
		"STORAGE_DIR=" + storageDir,
	}
}

// seqTracker counts, per sequence number, the log records that reached a
// sink. Lines carry "seq=NNNNNNN" at the start of their body.
type seqTracker struct {
	arrived []uint16 // per sequence number, saturating
	other   int      // records without a sequence number in range
}

func newSeqTracker(sink *OTLPSink, total int) *seqTracker {
	st := &seqTracker{arrived: make([]uint16, total)}
	sink.OnLogs(func(ld plog.Logs) {
		rls := ld.ResourceLogs()
		for i := 0; i < rls.Len(); i++ {
			sls := rls.At(i).ScopeLogs()
			for j := 0; j < sls.Len(); j++ {
				lrs := sls.At(j).LogRecords()
				for k := 0; k < lrs.Len(); k++ {
					seq, ok := seqOf(lrs.At(k).Body().Str())
					if !ok || seq >= total {
						st.other++
						continue
					}
					if st.arrived[seq] < 65535 {
						st.arrived[seq]++
					}
				}
			}
		}
	}, false)
	return st
}

// seqOf reads the number after a leading "seq=".
func seqOf(body string) (int, bool) {
	rest, ok := strings.CutPrefix(body, "seq=")
	if !ok {
		return 0, false
	}
	if i := strings.IndexByte(rest, ' '); i >= 0 {
		rest = rest[:i]
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil
}

// seqBatches renders total app lines with unique sequence numbers and
// splits them into the batches Logplex would post (< 100 KB each).
func seqBatches(total int) [][]logplextest.Message {
	base := time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)
	msgs := make([]logplextest.Message, total)
	for seq := range msgs {
		msgs[seq] = logplextest.Message{
			PRI:     logplextest.PRIApp,
			Time:    base.Add(time.Duration(seq) * time.Millisecond),
			AppName: "app",
			ProcID:  "web." + strconv.Itoa(1+seq%4),
			Msg: fmt.Sprintf("seq=%07d method=POST path=/checkout/%d status=201 duration=%dms request_id=%08x-e2e",
				seq, seq%997, seq%300, seq*2654435761),
		}
	}
	return logplextest.Batches(msgs, 0, 0)
}

// ackLog records which sequence numbers were acknowledged (2xx) to the
// Logplex client.
type ackLog struct {
	mu      sync.Mutex
	acked   []bool
	nAcked  atomic.Int64
	batches atomic.Int64
}

func newAckLog(total int) *ackLog { return &ackLog{acked: make([]bool, total)} }

func (a *ackLog) record(batch []logplextest.Message) {
	a.mu.Lock()
	for _, m := range batch {
		if seq, ok := seqOf(m.Msg); ok {
			a.acked[seq] = true
		}
	}
	a.mu.Unlock()
	a.nAcked.Add(int64(len(batch)))
	a.batches.Add(1)
}

// crashOutcome compares what was acknowledged with what arrived.
type crashOutcome struct {
	Sent, Acked, Delivered   int // lines posted at least once, acknowledged, arrived at least once
	AckedLost                int // acknowledged but never arrived
	Duplicated               int // arrived more than once
	DeliveredUnacked         int // arrived although never acknowledged
	Other                    int // records without a sequence number
	FirstLost                []int
	AckedBatches, AllBatches int
}

func (o crashOutcome) String() string {
	return fmt.Sprintf("%d lines in %d batches, %d acknowledged (2xx) in %d batches, %d delivered; "+
		"%d acknowledged lines lost, %d lines delivered more than once, %d delivered without an ack, %d records without a sequence number",
		o.Sent, o.AllBatches, o.Acked, o.AckedBatches, o.Delivered, o.AckedLost, o.Duplicated, o.DeliveredUnacked, o.Other)
}

func crashOutcomeOf(sink *OTLPSink, st *seqTracker, acks *ackLog) crashOutcome {
	var o crashOutcome
	acks.mu.Lock()
	defer acks.mu.Unlock()
	sink.Locked(func() { // st is written by the sink callback under this lock
		o.Other = st.other
		for seq, n := range st.arrived {
			if acks.acked[seq] {
				o.Acked++
				if n == 0 {
					o.AckedLost++
					if len(o.FirstLost) < 10 {
						o.FirstLost = append(o.FirstLost, seq)
					}
				}
			} else if n > 0 {
				o.DeliveredUnacked++
			}
			if n > 0 {
				o.Delivered++
			}
			if n > 1 {
				o.Duplicated++
			}
		}
	})
	o.AckedBatches = int(acks.batches.Load())
	return o
}

// waitSettled waits until every acknowledged line arrived, or until the
// sink saw nothing new for quiet, or timeout.
func waitSettled(sink *OTLPSink, st *seqTracker, acks *ackLog, quiet, timeout time.Duration) {
	last, lastChange := -1, time.Now()
	sink.WaitFor(timeout, func() bool {
		n := sink.LogRecordCount()
		if n != last {
			last, lastChange = n, time.Now()
		}
		if time.Since(lastChange) > quiet {
			return true
		}
		return crashOutcomeOf(sink, st, acks).AckedLost == 0 && n > 0
	})
}

func newDrainClient(t testing.TB, ep Endpoints) *logplextest.Client {
	t.Helper()
	c, err := logplextest.NewClient(logplextest.Config{URL: ep.DrainURL(""), Token: SampleToken})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestAcknowledgedLinesSurviveSIGKILL runs testdata/collector/durable.yaml
// with the OTLP backend down, so everything the receiver acknowledges sits
// in the exporter's persistent queue. While several Logplex senders are
// still posting, the collector is SIGKILLed. A new collector on the same
// storage directory, with the backend up, must deliver every line that was
// acknowledged with a 2xx. Lines whose request was in flight at the kill
// may arrive too (they were persisted but the answer never left); lines
// may arrive twice (at-least-once), which the test reports.
func TestAcknowledgedLinesSurviveSIGKILL(t *testing.T) {
	Binary(t)
	// down: nothing leaves the queue before the kill, so every
	// acknowledged line must come out of the queue file.
	t.Run("backend down", func(t *testing.T) { survivesSIGKILL(t, 1, 0, 0, false) })
	// flaky: the exporter delivers part of the queue before the kill (the
	// kill waits for a first delivery; senders pace themselves so that
	// they are still posting then), so a batch exported just before the
	// kill but not yet removed from the queue file is sent again.
	t.Run("backend refusing half", func(t *testing.T) { survivesSIGKILL(t, 0.5, 150*time.Millisecond, 1, false) })
	// A clean shutdown (SIGTERM) keeps the queue file too: the exporter's
	// retries are interrupted, and interrupted requests stay in the file.
	t.Run("backend down, SIGTERM", func(t *testing.T) { survivesSIGKILL(t, 1, 0, 0, true) })
}

// survivesSIGKILL sends lines while the sink refuses failRate of the
// exports, each sender pausing pace between batches, and SIGKILLs the
// collector once killAt lines were acknowledged and minDelivered records
// reached the sink. With sigterm it stops the collector cleanly instead.
func survivesSIGKILL(t *testing.T, failRate float64, pace time.Duration, minDelivered int, sigterm bool) {
	const (
		total   = 30_000
		senders = 4
		killAt  = 20_000 // acknowledged lines before the SIGKILL
	)
	start := time.Now()
	sink := NewOTLPSink(t)
	sink.SetFailureRate(failRate)
	st := newSeqTracker(sink, total)
	ep := Endpoints{Receiver: FreeAddr(t), Health: FreeAddr(t), OTLP: sink.URL()}
	storage := t.TempDir()

	col := NewCollector(t, durableConfig(t), ep)
	col.Env = durableEnv(ep, storage)
	col.Start()

	batches := seqBatches(total)
	acks := newAckLog(total)
	var sent atomic.Int64 // lines of batches posted at least once
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	work := make(chan []logplextest.Message)
	var wg sync.WaitGroup
	var statusMu sync.Mutex
	statuses := map[string]int{}
	for range senders {
		c := newDrainClient(t, ep)
		wg.Go(func() {
			for b := range work {
				sent.Add(int64(len(b)))
				res := c.SendBatch(ctx, b)
				if res.Delivered {
					acks.record(b)
				}
				statusMu.Lock()
				for i, s := range res.Statuses {
					if res.Errors[i] != nil {
						statuses["transport error"]++
					} else {
						statuses[strconv.Itoa(s)]++
					}
				}
				statusMu.Unlock()
				if pace > 0 {
					time.Sleep(pace)
				}
			}
		})
	}
	go func() {
		defer close(work)
		for _, b := range batches {
			select {
			case work <- b:
			case <-ctx.Done():
				return
			}
		}
	}()

	if !Eventually(30*time.Second, func() bool {
		return acks.nAcked.Load() >= killAt && sink.LogRecordCount() >= minDelivered
	}) {
		t.Fatalf("after 30 s: %d lines acknowledged (want %d), %d delivered (want %d)",
			acks.nAcked.Load(), killAt, sink.LogRecordCount(), minDelivered)
	}
	how := "SIGKILL"
	if sigterm {
		how = "SIGTERM"
		stopStart := time.Now()
		if err := col.Stop(); err != nil {
			t.Errorf("SIGTERM: %v", err)
		}
		t.Logf("clean shutdown took %v", time.Since(stopStart).Round(time.Millisecond))
	} else {
		col.Kill() // SIGKILL while the senders are still posting
	}
	killedAt := time.Since(start)
	cancel()
	wg.Wait()
	before := sink.LogRecordCount()
	if failRate == 1 && before != 0 {
		t.Fatalf("%d records reached the sink while it was down", before)
	}
	t.Logf("%s after %v with %d lines acknowledged and %d delivered; answers seen by the senders: %v",
		how, killedAt.Round(time.Millisecond), acks.nAcked.Load(), before, statuses)

	// Restart on the same storage directory with the backend up.
	sink.SetFailureRate(0)
	restart := time.Now()
	col.Start()
	waitSettled(sink, st, acks, 10*time.Second, 60*time.Second)
	deliveredIn := time.Since(restart)
	time.Sleep(2 * time.Second) // late duplicates: longer than the queue's 1 s flush_timeout
	o := crashOutcomeOf(sink, st, acks)
	o.Sent, o.AllBatches = int(sent.Load()), len(batches)
	t.Logf("durable pipeline across %s: %s", how, o)
	t.Logf("all acknowledged lines delivered %v after the restart; test ran %v", deliveredIn.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	if o.Acked < killAt {
		t.Errorf("%d lines acknowledged, want at least %d", o.Acked, killAt)
	}
	if o.AckedLost > 0 {
		t.Errorf("%d acknowledged lines never arrived after the restart (first: %v)", o.AckedLost, o.FirstLost)
	}
	if o.Other > 0 {
		t.Errorf("%d records without a sequence number arrived", o.Other)
	}
	// Duplicates are allowed (at-least-once) and only reported.
}

// TestBatchProcessorLosesAcknowledgedLinesOnSIGKILL is the negative control
// for TestAcknowledgedLinesSurviveSIGKILL: the same durable pipeline, but
// with the core batch processor (default settings: 200 ms timeout, 8192
// records) put in front of the persistent queue, as many collector configs
// do. The batch processor acknowledges lines as soon as they are in its
// in-memory buffer, so a SIGKILL right after the last 2xx loses what it
// held. This proves the survival test can fail.
func TestBatchProcessorLosesAcknowledgedLinesOnSIGKILL(t *testing.T) {
	const total = 5_000
	Binary(t)
	start := time.Now()
	sink := NewOTLPSink(t)
	sink.SetFailureRate(1)
	st := newSeqTracker(sink, total)
	ep := Endpoints{Receiver: FreeAddr(t), Health: FreeAddr(t), OTLP: sink.URL()}
	storage := t.TempDir()

	cfg := durableConfig(t)
	cfg.Set(map[string]any{}, "processors", "batch") // defaults: timeout 200ms, send_batch_size 8192
	for _, p := range []string{"logs", "metrics"} {
		cfg.Set([]string{"memory_limiter", "herokuapp", "batch"}, "service", "pipelines", p, "processors")
	}
	col := NewCollector(t, cfg, ep)
	col.Env = durableEnv(ep, storage)
	col.Start()

	batches := seqBatches(total)
	acks := newAckLog(total)
	c := newDrainClient(t, ep)
	ctx := context.Background()
	for i, b := range batches {
		res := c.SendBatch(ctx, b)
		if !res.Delivered {
			t.Fatalf("batch %d not acknowledged: statuses %v, errors %v", i, res.Statuses, res.Errors)
		}
		acks.record(b)
	}
	col.Kill() // right after the last 2xx
	sink.SetFailureRate(0)
	col.Start()
	waitSettled(sink, st, acks, 5*time.Second, 30*time.Second)
	time.Sleep(500 * time.Millisecond)
	o := crashOutcomeOf(sink, st, acks)
	o.Sent, o.AllBatches = total, len(batches)
	t.Logf("batch processor + persistent queue across SIGKILL: %s; test ran %v", o, time.Since(start).Round(time.Millisecond))
	if o.Acked != total {
		t.Fatalf("%d lines acknowledged, want all %d", o.Acked, total)
	}
	if o.AckedLost == 0 {
		// The kill landed just after the batch processor handed its buffer
		// to the queue (a window of a few ms out of every 200 ms).
		t.Skipf("control inconclusive this run: the batch processor had flushed everything before the SIGKILL (%s)", o)
	}
	t.Logf("as expected, %d acknowledged lines (%.1f%%) were lost: the batch processor held them in memory",
		o.AckedLost, 100*float64(o.AckedLost)/float64(o.Acked))
}
