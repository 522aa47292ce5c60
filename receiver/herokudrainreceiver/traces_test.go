package herokudrainreceiver

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/metadata"
)

// With a traces pipeline next to the logs one, each router line also
// becomes a SERVER span; a Logplex retry of the batch adds no second span.
func TestRouterLinesBecomeSpansWithATracesPipeline(t *testing.T) {
	f := NewFactory()
	cfg := f.CreateDefaultConfig().(*Config)
	cfg.NetAddr.Endpoint = "127.0.0.1:0"
	set := receivertest.NewNopSettings(metadata.Type)
	logs, traces := new(consumertest.LogsSink), new(consumertest.TracesSink)
	l, err := f.CreateLogs(context.Background(), set, cfg, logs)
	require.NoError(t, err)
	tr, err := f.CreateTraces(context.Background(), set, cfg, traces)
	require.NoError(t, err)
	host := componenttest.NewNopHost()
	require.NoError(t, l.Start(context.Background(), host))
	require.NoError(t, tr.Start(context.Background(), host))
	t.Cleanup(func() {
		require.NoError(t, l.Shutdown(context.Background()))
		require.NoError(t, tr.Shutdown(context.Background()))
	})
	url := "http://" + tr.(interface{ Unwrap() *drainReceiver }).Unwrap().addr.String() + cfg.Path + "?app=acme-web"

	body := frame(routerLine) + frame(seedLine)
	for range 2 { // the second is a retry with the same Frame-Id
		resp := post(t, url, body, nil)
		require.Equal(t, http.StatusOK, resp.StatusCode)
	}
	require.Len(t, logs.AllLogs(), 1)
	assert.Equal(t, 2, logs.AllLogs()[0].LogRecordCount(), "every frame is still a record")
	require.Len(t, traces.AllTraces(), 1, "the retry is de-duplicated for traces too")
	td := traces.AllTraces()[0]
	require.Equal(t, 1, td.SpanCount(), "one span per router line, none for the dyno line")
	rs := td.ResourceSpans().At(0)
	svc, _ := rs.Resource().Attributes().Get("service.name")
	assert.Equal(t, "acme-web", svc.Str())
	sp := rs.ScopeSpans().At(0).Spans().At(0)
	assert.Equal(t, ptrace.SpanKindServer, sp.Kind())
	assert.Equal(t, "8601b5556a834c12826997c8e32cdb22", sp.TraceID().String(), "trace id = the router's request id")
	assert.Equal(t, int64(19e6), int64(sp.EndTimestamp()-sp.StartTimestamp()), "connect 1ms + service 18ms")
}
