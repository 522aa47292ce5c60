package translate

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/logplex"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/metadata"
)

// resourcesOf runs one router line (which gives both a record and metric
// points) through a Batch built for r and returns the logs and the metrics
// resources.
func resourcesOf(t *testing.T, r Resource) (logs, metrics pcommon.Resource) {
	t.Helper()
	mbc := metadata.DefaultMetricsBuilderConfig()
	b := NewBatch(Settings{
		Logs: true, Metrics: true,
		Builder:            metadata.NewMetricsBuilder(mbc, receivertest.NewNopSettings(metadata.Type)),
		ResourceAttributes: mbc.ResourceAttributes,
	}, r, pcommon.NewTimestampFromTime(receivedAt), 0)
	line := "<158>1 2024-03-15T12:10:59.123456+00:00 host heroku router - at=info method=GET path=\"/\" host=a.example.com request_id=r1 fwd=\"1.2.3.4\" dyno=web.1 connect=1ms service=5ms status=200 bytes=10 protocol=https\n"
	s := logplex.NewScanner(strings.NewReader(fmt.Sprintf("%d %s", len(line), line)), logplex.Options{})
	for s.Scan() {
		b.Add(s.Frame())
	}
	ld, md := b.Logs(), b.Metrics()
	require.Equal(t, 1, ld.ResourceLogs().Len())
	require.Positive(t, md.ResourceMetrics().Len(), "the router line must give metric points")
	return ld.ResourceLogs().At(0).Resource(), md.ResourceMetrics().At(0).Resource()
}

func TestServiceNameOnEveryResource(t *testing.T) {
	const token = "d.fc6b856b-3332-4546-93de-7d0ee272c3bd"
	for _, tc := range []struct {
		name      string
		res       Resource
		service   string
		wantToken bool
	}{
		{"the app from ?app= names the service", Resource{DrainToken: token, AppName: "acme-web"}, "acme-web", true},
		{"without ?app= the service is unknown_service:heroku and the drain token says which drain", Resource{DrainToken: token}, UnknownServiceName, true},
		{"without ?app= or a drain token the service is still unknown_service:heroku", Resource{}, UnknownServiceName, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logs, metrics := resourcesOf(t, tc.res)
			for signal, res := range map[string]pcommon.Resource{"logs": logs, "metrics": metrics} {
				v, ok := res.Attributes().Get("service.name")
				if assert.True(t, ok, "%s resource has no service.name", signal) {
					assert.Equal(t, tc.service, v.Str(), signal)
				}
				tok, ok := res.Attributes().Get(AttrDrainToken)
				assert.Equal(t, tc.wantToken, ok, "%s: %s present", signal, AttrDrainToken)
				if tc.wantToken {
					assert.Equal(t, token, tok.Str(), signal)
				}
			}
		})
	}
}

func TestUnknownServiceNameFollowsSemconvForm(t *testing.T) {
	// The semantic conventions' fallback is "unknown_service" or
	// "unknown_service:<process name>".
	assert.True(t, strings.HasPrefix(UnknownServiceName, "unknown_service:"))
	assert.NotEqual(t, "unknown_service:", UnknownServiceName)
}
