package herokudrainreceiver

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/draintoken"
)

// The allowlist compares tokens the way the herokuapp processor maps them:
// a token configured in upper case still admits the drain Logplex names in
// lower case, and the other way round.
func TestDrainTokenAllowlistIgnoresCase(t *testing.T) {
	tests := []struct {
		name       string
		configured string
		sent       string
		want       int
	}{
		{"upper-case config admits the lower-case header", "d." + strings.ToUpper(testToken[2:]), testToken, http.StatusOK},
		{"lower-case config admits an upper-case header", testToken, "d." + strings.ToUpper(testToken[2:]), http.StatusOK},
		{"a different token stays refused whatever its case", testToken, strings.ToUpper(otherToken), http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sink := new(consumertest.LogsSink)
			r := start(t, func(c *Config) { c.DrainTokens = []string{tt.configured} }, pipelines{logs: sink})
			resp := post(t, r.url, frame(seedLine), map[string]string{"Logplex-Drain-Token": tt.sent})
			assert.Equal(t, tt.want, resp.StatusCode)
		})
	}
}

// The receiver puts the drain token on the resource under the key the
// processor reads (draintoken.AttributeKey), as sent.
func TestResourceCarriesTheDrainTokenUnderTheSharedKey(t *testing.T) {
	sink := new(consumertest.LogsSink)
	r := start(t, nil, pipelines{logs: sink})
	upper := "d." + strings.ToUpper(testToken[2:])
	resp := post(t, r.url, frame(seedLine), map[string]string{"Logplex-Drain-Token": upper})
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Len(t, sink.AllLogs(), 1)
	res := sink.AllLogs()[0].ResourceLogs().At(0).Resource().Attributes()
	assert.Equal(t, upper, attr(t, res, draintoken.AttributeKey))
}
