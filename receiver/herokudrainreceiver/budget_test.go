package herokudrainreceiver

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReservationCoversTheMostARequestCanBring(t *testing.T) {
	const maxBody = 1 << 20
	tests := []struct {
		name          string
		contentLength int64
		encoding      string
		want          int64
	}{
		{"a declared length reserves that length, decoded", 100_000, "", 100_000 * decodedBytesPerBodyByte},
		{"an unknown length (chunked) reserves the body limit", -1, "", maxBody * decodedBytesPerBodyByte},
		{"a length above the limit reserves the limit: no more is read", 50 << 20, "", maxBody * decodedBytesPerBodyByte},
		{"a compressed body reserves the limit: its length says nothing of what it inflates to", 1000, "gzip", maxBody * decodedBytesPerBodyByte},
		{"an empty body still reserves something", 0, "", decodedBytesPerBodyByte},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/logs", nil)
			req.ContentLength = tt.contentLength
			if tt.encoding != "" {
				req.Header.Set("Content-Encoding", tt.encoding)
			}
			assert.Equal(t, tt.want, reservation(req, maxBody))
		})
	}
}

// Over budget, a request is answered 503 + Retry-After before its body is
// read: the test never sends the body.
func TestOverBudgetIsRefusedBeforeTheBodyIsRead(t *testing.T) {
	sink := &blockingLogs{entered: make(chan struct{}, 1), release: make(chan struct{})}
	body := frame(seedLine)
	r := start(t, func(c *Config) {
		c.MaxRequestBodySize = 4096
		c.MaxInFlightBytes = 4096 * decodedBytesPerBodyByte // one request of the largest size
	}, pipelines{logs: sink})
	host := strings.TrimPrefix(strings.TrimSuffix(r.url, "/logs"), "http://")

	first := make(chan int, 1)
	go func() {
		resp, err := http.Post(r.url, "application/logplex-1", strings.NewReader(strings.Repeat(body, 40)))
		if err == nil {
			first <- resp.StatusCode
			_ = resp.Body.Close()
		}
	}()
	<-sink.entered // the first request holds most of the budget

	conn, err := net.Dial("tcp", host)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(5*time.Second)))
	_, err = fmt.Fprintf(conn, "POST /logs HTTP/1.1\r\nHost: %s\r\nContent-Length: 3000\r\n\r\n", host)
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err, "answered without the body")
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Equal(t, "1", resp.Header.Get("Retry-After"))
	assert.Equal(t, int64(1), metricByAttr(t, r, "otelcol_receiver_herokudrain_requests_rejected", "reason", "over_budget"))

	close(sink.release)
	assert.Equal(t, http.StatusOK, <-first)
	assert.Equal(t, http.StatusOK, post(t, r.url, body, map[string]string{"Logplex-Frame-Id": ""}).StatusCode, "the budget is given back")
	assert.Zero(t, r.rcv.budget.used.Load(), "nothing stays reserved")
}

// What a request holds per body byte stays within the reservation.
func TestInFlightBudgetCoversWhatARequestHolds(t *testing.T) {
	var sb strings.Builder
	for sb.Len() < 100_000 {
		sb.WriteString(frame(routerLine))
	}
	body := sb.String()
	r, logs, metrics := directReceiver(t)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	r.handle(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/logs", strings.NewReader(body)))
	runtime.ReadMemStats(&after)
	perByte := float64(after.TotalAlloc-before.TotalAlloc) / float64(len(body))
	t.Logf("%.1f bytes allocated per body byte (%d records)", perByte, logs.LogRecordCount())
	assert.LessOrEqual(t, perByte, float64(decodedBytesPerBodyByte)*1.2, "decodedBytesPerBodyByte understates what a request costs")
	runtime.KeepAlive(metrics)
}

func TestBudgetConfigErrorsSayHowToFixThem(t *testing.T) {
	tests := []struct {
		name    string
		mod     func(*Config)
		wantErr string
	}{
		{"defaults are valid", func(*Config) {}, ""},
		{"a budget below one largest request", func(c *Config) { c.MaxInFlightBytes = c.MaxRequestBodySize }, "max_in_flight_bytes 1048576 must be at least 10 x max_request_body_size (1048576)"},
		{"no body limit", func(c *Config) { c.MaxRequestBodySize = 0 }, "max_request_body_size 0 must be positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := NewFactory().CreateDefaultConfig().(*Config)
			tt.mod(cfg)
			err := cfg.Validate()
			if tt.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorContains(t, err, tt.wantErr)
		})
	}
}
