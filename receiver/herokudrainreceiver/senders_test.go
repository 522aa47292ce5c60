package herokudrainreceiver

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// metricByAttr sums an int64 counter's points whose attribute key has value.
func metricByAttr(t *testing.T, r testReceiver, name, key, value string) int64 {
	t.Helper()
	m, err := r.tel.GetMetric(name)
	if err != nil {
		return 0
	}
	sum, ok := m.Data.(metricdata.Sum[int64])
	require.True(t, ok, "%s is not an int64 sum", name)
	var total int64
	for _, dp := range sum.DataPoints {
		if v, ok := dp.Attributes.Value(attribute.Key(key)); ok && v.AsString() == value {
			total += dp.Value
		}
	}
	return total
}

func TestDedupeKeysForEverySender(t *testing.T) {
	body := frame(seedLine)
	const uuid = "0c3e3f1e-9a5b-4c1d-8e2f-3a4b5c6d7e8f"
	tests := []struct {
		name       string
		hdr        map[string]string
		wantEmits  int // log records after two identical posts
		skipReason string
	}{
		{name: "Logplex-Frame-Id identifies a retry", hdr: nil, wantEmits: 1},
		{name: "X-Request-Id identifies a retry when there is no Frame-Id (log-shuttle)",
			hdr: map[string]string{"Logplex-Frame-Id": "", "X-Request-Id": uuid}, wantEmits: 1},
		{name: "Frame-Id wins over X-Request-Id",
			hdr: map[string]string{"X-Request-Id": "per-attempt-" + uuid}, wantEmits: 1},
		{name: "no id: dedupe is off for the request and counted",
			hdr: map[string]string{"Logplex-Frame-Id": ""}, wantEmits: 2, skipReason: skipNoID},
		{name: "a Frame-Id of the wrong shape is refused and counted",
			hdr: map[string]string{"Logplex-Frame-Id": "not-a-frame-id"}, wantEmits: 2, skipReason: skipMalformedID},
		{name: "an X-Request-Id of the wrong shape is refused and counted",
			hdr: map[string]string{"Logplex-Frame-Id": "", "X-Request-Id": strings.Repeat("x", 4096)}, wantEmits: 2, skipReason: skipMalformedID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sink := new(consumertest.LogsSink)
			r := start(t, nil, pipelines{logs: sink})
			for range 2 {
				assert.Equal(t, http.StatusOK, post(t, r.url, body, tt.hdr).StatusCode)
			}
			assert.Equal(t, tt.wantEmits, sink.LogRecordCount())
			if tt.skipReason != "" {
				assert.Equal(t, int64(2), metricByAttr(t, r, "otelcol_receiver_herokudrain_dedupe_skipped", "reason", tt.skipReason))
			}
		})
	}
}

// A Frame-Id flood of ids of any size leaves nothing in the cache.
func TestMalformedFrameIdsAreNeverRemembered(t *testing.T) {
	sink := new(consumertest.LogsSink)
	r := start(t, nil, pipelines{logs: sink})
	for i := range 50 {
		id := fmt.Sprintf("%d-%s", i, strings.Repeat("A", 64<<10))
		require.Equal(t, http.StatusOK, post(t, r.url, frame(seedLine), map[string]string{"Logplex-Frame-Id": id}).StatusCode)
	}
	assert.Equal(t, 0, r.rcv.seen.Len(), "no refused id is stored")
	assert.Equal(t, 50, sink.LogRecordCount())
}

// An id is remembered only once its batch was delivered: the README's curl
// run from the wrong directory posts an empty body; the right command
// afterwards, with the same Frame-Id, must still be emitted.
func TestAnEmptyBodyDoesNotPoisonALaterGoodPost(t *testing.T) {
	sink := new(consumertest.LogsSink)
	r := start(t, nil, pipelines{logs: sink})
	assert.Equal(t, http.StatusNoContent, post(t, r.url, "", nil).StatusCode)
	assert.Equal(t, http.StatusOK, post(t, r.url, frame(seedLine), nil).StatusCode)
	assert.Equal(t, 1, sink.LogRecordCount())
	assert.Equal(t, http.StatusOK, post(t, r.url, frame(seedLine), nil).StatusCode)
	assert.Equal(t, 1, sink.LogRecordCount(), "the delivered batch's retry is a duplicate")
}

// Shield Private Spaces: log-shuttle posts straight to the drain, with no
// Logplex-Frame-Id and no Logplex-Drain-Token.
func shieldHeaders(requestID string) map[string]string {
	return map[string]string{
		"Logplex-Frame-Id":    "",
		"Logplex-Drain-Token": "",
		"User-Agent":          "log-shuttle/0.21.0 (go1.22; linux; amd64; gc)",
		"X-Request-Id":        requestID,
		"Logplex-Msg-Count":   "1",
	}
}

func TestShieldSendersAreAcceptedWithAuthEnforcedAndCounted(t *testing.T) {
	sink := new(consumertest.LogsSink)
	creds := []Credential{{Username: "shield", Password: "s3cret"}}
	r := start(t, func(c *Config) { c.BasicAuth = creds }, pipelines{logs: sink})
	hdr := shieldHeaders("0c3e3f1e-9a5b-4c1d-8e2f-3a4b5c6d7e8f")
	assert.Equal(t, http.StatusUnauthorized, post(t, r.url, frame(seedLine), hdr).StatusCode)
	hdr["Authorization"] = basicAuth("shield", "s3cret")
	assert.Equal(t, http.StatusOK, post(t, r.url, frame(seedLine), hdr).StatusCode)
	hdr["User-Agent"] = "excon/0.99.0"
	assert.Equal(t, http.StatusOK, post(t, r.url, frame(routerLine), hdr).StatusCode)
	assert.Equal(t, 1, sink.LogRecordCount(), "the second post reuses the request id: a retry")
	assert.Equal(t, int64(2), metricByAttr(t, r, "otelcol_receiver_herokudrain_requests", "sender", "log-shuttle"))
	assert.Equal(t, "State changed from starting to up", allRecords(sink.AllLogs())[0].Body().Str())
}

func basicAuth(user, pass string) string {
	req, _ := http.NewRequest(http.MethodGet, "http://x", nil)
	req.SetBasicAuth(user, pass)
	return req.Header.Get("Authorization")
}

// slowFirstLogs delays its first n deliveries past the sender's timeout.
type slowFirstLogs struct {
	consumertest.LogsSink
	slow  atomic.Int32
	delay time.Duration
}

func (s *slowFirstLogs) ConsumeLogs(ctx context.Context, ld plog.Logs) error {
	if s.slow.Add(-1) >= 0 {
		time.Sleep(s.delay)
	}
	return s.LogsSink.ConsumeLogs(ctx, ld)
}

// shuttlePost reproduces log-shuttle's HTTPOutlet.retryPost: one UUID per
// batch in X-Request-Id, sent again on every attempt; retry only on a
// transport error (timeout, EOF), sleeping attempt × pause; a status >= 400
// is logged by log-shuttle and not retried. pause stands for its 1 s.
func shuttlePost(t *testing.T, client *http.Client, url, body string, maxAttempts int, pause time.Duration) (attempts int, status int) {
	t.Helper()
	id := newUUID()
	for attempts = 1; attempts <= maxAttempts; attempts++ {
		req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/logplex-1")
		req.Header.Set("X-Request-Id", id)
		req.Header.Set("User-Agent", "log-shuttle/0.21.0 (go1.22; linux; amd64; gc)")
		resp, err := client.Do(req)
		if err == nil {
			_ = resp.Body.Close()
			return attempts, resp.StatusCode
		}
		time.Sleep(time.Duration(attempts) * pause)
	}
	return maxAttempts, 0
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func TestLogShuttleRetriesAreDeliveredExactlyOnce(t *testing.T) {
	const batches = 20
	sink := &slowFirstLogs{delay: 300 * time.Millisecond}
	sink.slow.Store(5) // the first 5 deliveries outlast the client's timeout
	r := start(t, nil, pipelines{logs: sink})
	client := &http.Client{Timeout: 100 * time.Millisecond}
	retried := 0
	for i := range batches {
		body := frame(fmt.Sprintf("<190>1 2026-12-02T03:00:00.000000+00:00 host app web.1 - line %d\n", i))
		attempts, status := shuttlePost(t, client, r.url, body, 3, 50*time.Millisecond)
		require.Equal(t, http.StatusOK, status, "batch %d", i)
		retried += attempts - 1
	}
	require.Eventually(t, func() bool { return sink.LogRecordCount() >= batches }, 5*time.Second, 10*time.Millisecond)
	time.Sleep(2 * sink.delay) // let any late first attempt land
	assert.Positive(t, retried, "the test must make log-shuttle retry")
	assert.Equal(t, batches, sink.LogRecordCount(), "each batch once, though %d attempts were retries", retried)
	seen := map[string]int{}
	for _, lr := range allRecords(sink.AllLogs()) {
		seen[lr.Body().Str()]++
	}
	for body, n := range seen {
		assert.Equal(t, 1, n, "%q delivered %d times", body, n)
	}
}
