package herokuappprocessor

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/herokudrain/herokudrain/processor/herokuappprocessor/internal/metadatatest"
)

// In mode logplex, spans (router spans from the herokudrain receiver) are
// named by drain token like logs and metrics.
func TestProcessTracesByDrainToken(t *testing.T) {
	td := ptrace.NewTraces()
	for _, r := range []res{{token: tokWeb, items: 2}, {token: tokUnknown, items: 3}} {
		rs := td.ResourceSpans().AppendEmpty()
		setResource(rs.Resource(), r)
		spans := rs.ScopeSpans().AppendEmpty().Spans()
		for range r.items {
			spans.AppendEmpty().SetName("GET /")
		}
	}
	tt := componenttest.NewTelemetry()
	sink := new(consumertest.TracesSink)
	p, err := NewFactory().CreateTraces(context.Background(), metadatatest.NewSettings(tt), newTestConfig(UnknownDrop), sink)
	require.NoError(t, err)
	require.NoError(t, p.Start(context.Background(), componenttest.NewNopHost()))
	t.Cleanup(func() { require.NoError(t, p.Shutdown(context.Background())) })
	require.NoError(t, p.ConsumeTraces(context.Background(), td))

	rss := sink.AllTraces()[0].ResourceSpans()
	require.Equal(t, 1, rss.Len())
	checkResource(t, rss.At(0).Resource(), want{token: tokWeb, service: "acme-web"})
	assert.Equal(t, 2, spanCount(rss.At(0)))
	assertCounts(t, tt, counts{renamed: 1, unknown: reasonCount{1, 1, 3}})

	// A batch left empty is not passed on.
	td = ptrace.NewTraces()
	setResource(td.ResourceSpans().AppendEmpty().Resource(), res{token: noToken})
	require.NoError(t, p.ConsumeTraces(context.Background(), td))
	assert.Len(t, sink.AllTraces(), 1)
}
