package herokudrainreceiver

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/receiver/receivertest"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/metadata"
)

const otherToken = "d.0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"

func TestAccessControl(t *testing.T) {
	rotated := []Credential{{Username: "logplex", Password: "old-secret"}, {Username: "logplex", Password: "new-secret"}}
	tests := []struct {
		name       string
		creds      []Credential
		tokens     []string
		user, pass string // empty user: no Authorization header
		token      string
		want       int
	}{
		{name: "no access control configured lets every drain in", want: http.StatusOK, token: testToken},
		{name: "missing credentials are 401", creds: rotated, token: testToken, want: http.StatusUnauthorized},
		{name: "wrong password is 401", creds: rotated, user: "logplex", pass: "guess", token: testToken, want: http.StatusUnauthorized},
		{name: "wrong user is 401", creds: rotated, user: "admin", pass: "new-secret", token: testToken, want: http.StatusUnauthorized},
		{name: "old credential still works during rotation", creds: rotated, user: "logplex", pass: "old-secret", token: testToken, want: http.StatusOK},
		{name: "new credential works", creds: rotated, user: "logplex", pass: "new-secret", token: testToken, want: http.StatusOK},
		{name: "token outside the allowlist is 403", tokens: []string{testToken}, token: otherToken, want: http.StatusForbidden},
		{name: "missing token with an allowlist is 403", tokens: []string{testToken}, token: "", want: http.StatusForbidden},
		{name: "allowed token passes", tokens: []string{otherToken, testToken}, token: testToken, want: http.StatusOK},
		{name: "credentials are checked before the token", creds: rotated, tokens: []string{testToken}, token: otherToken, want: http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sink := new(consumertest.LogsSink)
			r := start(t, func(c *Config) { c.BasicAuth = tt.creds; c.DrainTokens = tt.tokens }, pipelines{logs: sink})
			req, err := http.NewRequest(http.MethodPost, r.url, strings.NewReader(frame(seedLine)))
			require.NoError(t, err)
			if tt.user != "" {
				req.SetBasicAuth(tt.user, tt.pass)
			}
			if tt.token != "" {
				req.Header.Set("Logplex-Drain-Token", tt.token)
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			assert.Equal(t, tt.want, resp.StatusCode)
			if tt.want == http.StatusOK {
				assert.Equal(t, 1, sink.LogRecordCount())
				return
			}
			assert.Equal(t, 0, sink.LogRecordCount(), "nothing is ingested from a refused request")
			if tt.want == http.StatusUnauthorized {
				assert.Equal(t, `Basic realm="herokudrain"`, resp.Header.Get("WWW-Authenticate"))
			}
			m, err := r.tel.GetMetric("otelcol_receiver_herokudrain_requests_rejected")
			require.NoError(t, err)
			assert.Equal(t, int64(1), metricTotal(t, m))
		})
	}
}

func TestCredentialsAreNeverLogged(t *testing.T) {
	core, logs := observer.New(zap.DebugLevel)
	f := NewFactory()
	cfg := f.CreateDefaultConfig().(*Config)
	cfg.NetAddr.Endpoint = "localhost:0"
	cfg.BasicAuth = []Credential{{Username: "logplex", Password: "s3cr3t-pass"}}
	set := receivertest.NewNopSettings(metadata.Type)
	set.Logger = zap.New(core)
	l, err := f.CreateLogs(context.Background(), set, cfg, consumertest.NewErr(errors.New("refused")))
	require.NoError(t, err)
	require.NoError(t, l.Start(context.Background(), componenttest.NewNopHost()))
	defer func() { require.NoError(t, l.Shutdown(context.Background())) }()
	url := "http://" + l.(interface{ Unwrap() *drainReceiver }).Unwrap().addr.String() + "/logs"

	for _, pass := range []string{"s3cr3t-pass", "wrong-pass"} {
		req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(frame(seedLine)+"garbage"))
		req.SetBasicAuth("logplex", pass)
		req.Header.Set("Logplex-Msg-Count", "7")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		_ = resp.Body.Close()
	}
	require.NotZero(t, logs.Len(), "the refused batch and the count mismatch are logged")
	for _, e := range logs.All() {
		line := e.Message
		for _, f := range e.Context {
			line += " " + f.String + " " + f.Key
			if f.Interface != nil {
				if err, ok := f.Interface.(error); ok {
					line += " " + err.Error()
				}
			}
		}
		assert.NotContains(t, line, "s3cr3t-pass")
		assert.NotContains(t, line, "wrong-pass")
	}
}

// flaky fails the first n calls with a retryable error, then stores.
type flakyLogs struct {
	consumertest.LogsSink
	fail atomic.Int32
}

func (f *flakyLogs) ConsumeLogs(ctx context.Context, ld plog.Logs) error {
	if f.fail.Add(-1) >= 0 {
		return errors.New("exporter queue is full")
	}
	return f.LogsSink.ConsumeLogs(ctx, ld)
}

type flakyMetrics struct {
	consumertest.MetricsSink
	fail atomic.Int32
}

func (f *flakyMetrics) ConsumeMetrics(ctx context.Context, md pmetric.Metrics) error {
	if f.fail.Add(-1) >= 0 {
		return errors.New("exporter queue is full")
	}
	return f.MetricsSink.ConsumeMetrics(ctx, md)
}

func TestLogplexRetriesAreDeliveredExactlyOnce(t *testing.T) {
	body := frame(seedLine) + frame(memoryLine)
	t.Run("a retry of an accepted Frame-Id is answered 200 and not emitted again", func(t *testing.T) {
		sink := new(consumertest.LogsSink)
		r := start(t, nil, pipelines{logs: sink})
		for range 3 {
			assert.Equal(t, http.StatusOK, post(t, r.url, body, nil).StatusCode)
		}
		assert.Equal(t, 2, sink.LogRecordCount())
		m, err := r.tel.GetMetric("otelcol_receiver_herokudrain_duplicates")
		require.NoError(t, err)
		assert.Equal(t, int64(2), metricTotal(t, m))
	})
	t.Run("a retry after a refusal is processed", func(t *testing.T) {
		sink := &flakyLogs{}
		sink.fail.Store(1)
		r := start(t, nil, pipelines{logs: sink})
		assert.Equal(t, http.StatusServiceUnavailable, post(t, r.url, body, nil).StatusCode)
		assert.Equal(t, http.StatusOK, post(t, r.url, body, nil).StatusCode)
		assert.Equal(t, http.StatusOK, post(t, r.url, body, nil).StatusCode)
		assert.Equal(t, 2, sink.LogRecordCount())
	})
	t.Run("metrics count once they are aggregated: a refused flush is sent again and a retry adds nothing", func(t *testing.T) {
		logs := &flakyLogs{}
		logs.fail.Store(1)
		metrics := &flakyMetrics{}
		metrics.fail.Store(1)
		r := start(t, nil, pipelines{logs: logs, metrics: metrics})
		assert.Equal(t, http.StatusServiceUnavailable, post(t, r.url, body, nil).StatusCode, "the logs were refused")
		r.flush(t) // refused by the pipeline
		assert.Equal(t, http.StatusOK, post(t, r.url, body, nil).StatusCode, "the retry delivers the logs")
		assert.Equal(t, http.StatusOK, post(t, r.url, body, nil).StatusCode)
		r.flush(t)
		assert.Equal(t, 2, logs.LogRecordCount(), "logs delivered once")
		got := gaugesByName(metrics.AllMetrics())
		assert.Equal(t, int64(2), total(got["heroku.log.records"]), "the two records count once, across three attempts and a refused flush")
		assert.Len(t, got["heroku.dyno.memory.rss"], 1)
		m, err := r.tel.GetMetric("otelcol_receiver_herokudrain_metric_flush_failures")
		require.NoError(t, err)
		assert.Equal(t, int64(1), metricTotal(t, m))
	})
	t.Run("different Frame-Ids are different batches", func(t *testing.T) {
		sink := new(consumertest.LogsSink)
		r := start(t, nil, pipelines{logs: sink})
		post(t, r.url, body, map[string]string{"Logplex-Frame-Id": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
		post(t, r.url, body, map[string]string{"Logplex-Frame-Id": "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"})
		assert.Equal(t, 4, sink.LogRecordCount())
	})
	t.Run("with dedupe disabled every attempt is emitted", func(t *testing.T) {
		sink := new(consumertest.LogsSink)
		r := start(t, func(c *Config) { c.Dedupe.Enabled = false }, pipelines{logs: sink})
		post(t, r.url, body, nil)
		post(t, r.url, body, nil)
		assert.Equal(t, 4, sink.LogRecordCount())
	})
}

// blockingLogs holds every batch until released.
type blockingLogs struct {
	consumertest.LogsSink
	entered chan struct{}
	release chan struct{}
}

func (b *blockingLogs) ConsumeLogs(ctx context.Context, ld plog.Logs) error {
	b.entered <- struct{}{}
	<-b.release
	return b.LogsSink.ConsumeLogs(ctx, ld)
}

func TestShutdownLetsInFlightRequestsFinish(t *testing.T) {
	sink := &blockingLogs{entered: make(chan struct{}, 1), release: make(chan struct{})}
	f := NewFactory()
	cfg := f.CreateDefaultConfig().(*Config)
	cfg.NetAddr.Endpoint = "localhost:0"
	l, err := f.CreateLogs(context.Background(), receivertest.NewNopSettings(metadata.Type), cfg, sink)
	require.NoError(t, err)
	require.NoError(t, l.Start(context.Background(), componenttest.NewNopHost()))
	rcv := l.(interface{ Unwrap() *drainReceiver }).Unwrap()
	url := "http://" + rcv.addr.String() + "/logs"

	var wg sync.WaitGroup
	var status int
	wg.Go(func() {
		resp, err := http.Post(url, "application/logplex-1", strings.NewReader(frame(seedLine)))
		if assert.NoError(t, err) {
			status = resp.StatusCode
			_ = resp.Body.Close()
		}
	})
	<-sink.entered
	shutdownDone := make(chan error, 1)
	go func() { shutdownDone <- l.Shutdown(context.Background()) }()
	require.Eventually(t, rcv.stopping.Load, time.Second, time.Millisecond)

	// While stopping, a request that still reaches the handler is told to retry.
	rec := &statusRecorder{header: http.Header{}}
	rcv.handle(rec, mustRequest(t, url))
	assert.Equal(t, http.StatusServiceUnavailable, rec.status)

	close(sink.release)
	wg.Wait()
	require.NoError(t, <-shutdownDone)
	assert.Equal(t, http.StatusOK, status, "the in-flight request finished normally")
	assert.Equal(t, 1, sink.LogRecordCount())
}

type statusRecorder struct {
	header http.Header
	status int
}

func (s *statusRecorder) Header() http.Header         { return s.header }
func (s *statusRecorder) Write(b []byte) (int, error) { return len(b), nil }
func (s *statusRecorder) WriteHeader(code int)        { s.status = code }

func mustRequest(t *testing.T, url string) *http.Request {
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(frame(seedLine)))
	require.NoError(t, err)
	return req
}

var _ consumer.Logs = (*blockingLogs)(nil)

// A request whose body is cut short is answered 503 and emits nothing; its
// half-built metrics must not leak into the next request (possibly another
// app's) through the pooled metrics builder.
func TestACutShortBodyLeavesNothingBehindForTheNextRequest(t *testing.T) {
	sink := new(consumertest.MetricsSink)
	r := start(t, nil, pipelines{metrics: sink})
	host := strings.TrimPrefix(strings.TrimSuffix(r.url, "/logs"), "http://")

	conn, err := net.Dial("tcp", host)
	require.NoError(t, err)
	part := frame(memoryLine) + frame(loadLine)
	_, err = fmt.Fprintf(conn, "POST /logs HTTP/1.1\r\nHost: %s\r\nContent-Type: application/logplex-1\r\nLogplex-Drain-Token: %s\r\nContent-Length: %d\r\n\r\n%s",
		host, otherToken, len(part)+500, part)
	require.NoError(t, err)
	require.NoError(t, conn.(*net.TCPConn).CloseWrite()) // the rest never comes
	status, err := bufio.NewReader(conn).ReadString('\n')
	require.NoError(t, err)
	assert.Contains(t, status, "503")
	require.NoError(t, conn.Close())
	r.flush(t)
	assert.Equal(t, 0, sink.DataPointCount(), "nothing of a cut-short body is emitted")

	for range 3 { // the pool may hand out any builder; try a few requests
		resp := post(t, r.url, frame(seedLine), map[string]string{"Logplex-Frame-Id": ""})
		require.Equal(t, http.StatusOK, resp.StatusCode)
	}
	r.flush(t)
	got := gaugesByName(sink.AllMetrics())
	assert.Empty(t, got["heroku.dyno.memory.rss"], "no runtime sample leaks in")
	assert.Equal(t, int64(3), total(got["heroku.log.records"]), "only the three whole requests count")
}

func TestLossReportedByL10IsCountedOnceAcrossRetries(t *testing.T) {
	sink := &flakyLogs{}
	sink.fail.Store(1)
	r := start(t, nil, pipelines{logs: sink})
	body := frame(l10NoLFLine) + frame(seedLine)
	assert.Equal(t, http.StatusServiceUnavailable, post(t, r.url, body, nil).StatusCode)
	assert.Equal(t, http.StatusOK, post(t, r.url, body, nil).StatusCode)
	assert.Equal(t, http.StatusOK, post(t, r.url, body, nil).StatusCode) // duplicate
	m, err := r.tel.GetMetric("otelcol_receiver_herokudrain_logplex_dropped")
	require.NoError(t, err)
	assert.Equal(t, int64(1), metricTotal(t, m), "the L10 reports 1 message dropped, once")
}
