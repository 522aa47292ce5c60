package herokudrainreceiver

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/metadata"
)

// slowLogs takes a moment per batch, so that requests are in flight when
// the receiver is told to stop.
type slowLogs struct {
	consumertest.LogsSink
	delay time.Duration
}

func (s *slowLogs) ConsumeLogs(ctx context.Context, ld plog.Logs) error {
	time.Sleep(s.delay)
	return s.LogsSink.ConsumeLogs(ctx, ld)
}

// sendResult is what one sender saw.
type sendResult struct {
	acked     []string // bodies answered 2xx
	responses int
	noClose   int // 503s during shutdown without Connection: close
	errs      int
	errsEarly int // transport errors while the receiver was not stopping
}

func TestShutdownUnderLoadLosesNothingAndAnswersEveryRequestItRead(t *testing.T) {
	const senders = 8
	sink := &slowLogs{delay: 3 * time.Millisecond}
	f := NewFactory()
	cfg := f.CreateDefaultConfig().(*Config)
	cfg.NetAddr.Endpoint = "localhost:0"
	tel := componenttest.NewTelemetry()
	defer func() { require.NoError(t, tel.Shutdown(context.Background())) }()
	set := receivertest.NewNopSettings(metadata.Type)
	set.TelemetrySettings = tel.NewTelemetrySettings()
	l, err := f.CreateLogs(context.Background(), set, cfg, sink)
	require.NoError(t, err)
	require.NoError(t, l.Start(context.Background(), componenttest.NewNopHost()))
	rcv := l.(interface{ Unwrap() *drainReceiver }).Unwrap()
	url := "http://" + rcv.addr.String() + "/logs"

	var stopping atomic.Bool
	results := make([]sendResult, senders)
	var wg sync.WaitGroup
	for s := range senders {
		wg.Go(func() {
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}, Timeout: 5 * time.Second}
			defer client.CloseIdleConnections()
			res := &results[s]
			for i := 0; ; i++ {
				line := fmt.Sprintf("<190>1 2026-12-02T03:00:00+00:00 host app web.1 - sender %d line %d\n", s, i)
				req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(frame(line)))
				req.Header.Set("Logplex-Frame-Id", fmt.Sprintf("%016X%016X", s, i))
				resp, err := client.Do(req)
				if err != nil {
					res.errs++
					if !stopping.Load() {
						res.errsEarly++
					}
					return // the listener is closed: a Logplex retry would go elsewhere
				}
				_ = resp.Body.Close()
				res.responses++
				switch resp.StatusCode {
				case http.StatusOK:
					res.acked = append(res.acked, strings.TrimSuffix(line[len("<190>1 2026-12-02T03:00:00+00:00 host app web.1 - "):], "\n"))
				case http.StatusServiceUnavailable:
					if resp.Header.Get("Connection") != "close" && !resp.Close {
						res.noClose++
					}
				default:
					t.Errorf("unexpected status %d", resp.StatusCode)
				}
			}
		})
	}
	time.Sleep(300 * time.Millisecond)
	stopping.Store(true)
	start := time.Now()
	require.NoError(t, l.Shutdown(context.Background()))
	took := time.Since(start)
	wg.Wait()

	delivered := map[string]bool{}
	for _, lr := range allRecords(sink.AllLogs()) {
		delivered[lr.Body().Str()] = true
	}
	var acked, responses, lost, noClose, errsEarly int
	for _, res := range results {
		acked += len(res.acked)
		responses += res.responses
		noClose += res.noClose
		errsEarly += res.errsEarly
		for _, body := range res.acked {
			if !delivered[body] {
				lost++
			}
		}
	}
	read := metricByAttr(t, testReceiver{tel: tel}, "otelcol_receiver_herokudrain_requests", "sender", "other") +
		metricByAttr(t, testReceiver{tel: tel}, "otelcol_receiver_herokudrain_requests_rejected", "reason", "shutting_down")
	t.Logf("%d responses (%d acknowledged), %d requests read by the server, shutdown took %s", responses, acked, read, took)
	assert.Positive(t, acked)
	assert.Zero(t, lost, "acknowledged lines lost")
	assert.Zero(t, errsEarly, "transport errors before shutdown")
	assert.Zero(t, noClose, "503s while draining must close the connection")
	assert.Equal(t, int64(responses), read, "every request the server read got an answer (no resets)")
	assert.Equal(t, acked, sink.LogRecordCount(), "nothing was delivered without an answer")
}
