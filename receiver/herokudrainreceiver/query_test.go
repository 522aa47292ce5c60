package herokudrainreceiver

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"
)

func TestQueryAttributes(t *testing.T) {
	tests := []struct {
		name     string
		query    string
		patterns []string
		want     [][2]string
	}{
		{name: "no allowlist copies nothing", query: "env=prod", want: nil},
		{name: "exact names", query: "app=web-prod&env=prod&region=eu", patterns: []string{"env", "region"},
			want: [][2]string{{"env", "prod"}, {"region", "eu"}}},
		{name: "wildcards", query: "team_a=x&team_b=y&tenant=z", patterns: []string{"team_*"},
			want: [][2]string{{"team_a", "x"}, {"team_b", "y"}}},
		{name: "parameters outside the allowlist are ignored", query: "env=prod&password=hunter2", patterns: []string{"env"},
			want: [][2]string{{"env", "prod"}}},
		{name: "app and receiver-set attributes are never copied", query: "app=a&service.name=b&heroku.drain.token=c&cloud.provider=d", patterns: []string{"*"},
			want: nil},
		{name: "first value of a repeated parameter", query: "env=prod&env=dev", patterns: []string{"env"},
			want: [][2]string{{"env", "prod"}}},
		{name: "percent-escapes decoded, invalid UTF-8 replaced", query: "env=pr%C3%B6d&x=%FF", patterns: []string{"env", "x"},
			want: [][2]string{{"env", "pröd"}, {"x", "\uFFFD"}}},
		{name: "long values are cut", query: "env=" + strings.Repeat("a", 300), patterns: []string{"env"},
			want: [][2]string{{"env", strings.Repeat("a", maxQueryValueLen)}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, err := url.ParseQuery(tc.query)
			require.NoError(t, err)
			assert.Equal(t, tc.want, queryAttributes(q, tc.patterns))
		})
	}
}

func TestQueryAttributesAreBoundedInNumber(t *testing.T) {
	q := url.Values{}
	for i := range 100 {
		q.Set("p"+strings.Repeat("x", i), "v")
	}
	assert.Len(t, queryAttributes(q, []string{"p*"}), maxQueryAttributes)
}

func TestQueryParametersValidation(t *testing.T) {
	errs := validateQueryParameters([]string{"env", "team_*", "", "[a-"})
	require.Len(t, errs, 2)
	assert.ErrorContains(t, errs[0], "query_parameters[2]: empty pattern")
	assert.ErrorContains(t, errs[1], `query_parameters[3]: "[a-" is not a valid pattern`)

	cfg := NewFactory().CreateDefaultConfig().(*Config)
	cfg.QueryParameters = []string{"[z"}
	assert.ErrorContains(t, cfg.Validate(), `query_parameters[0]: "[z" is not a valid pattern`)
}

// One receiver serving two apps told apart by their drain URLs: each
// request's resource carries its own query attributes, on logs and metrics.
func TestDrainURLQueryBecomesResourceAttributes(t *testing.T) {
	logs, metrics := new(consumertest.LogsSink), new(consumertest.MetricsSink)
	r := start(t, func(c *Config) { c.QueryParameters = []string{"env", "team_*"} }, pipelines{logs: logs, metrics: metrics})

	resp := post(t, r.url+"?app=web-prod&env=prod&team_owner=payments&secret=s3", frame(seedLine)+frame(loadLine), nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	resp = post(t, r.url+"?app=web-staging&env=staging", frame(seedLine), map[string]string{"Logplex-Frame-Id": "0000000000000000000000000000000A"})
	require.Equal(t, http.StatusOK, resp.StatusCode)

	require.Len(t, logs.AllLogs(), 2)
	first := logs.AllLogs()[0].ResourceLogs().At(0).Resource().Attributes().AsRaw()
	assert.Equal(t, map[string]any{
		"cloud.provider": "heroku", "heroku.drain.token": testToken,
		"service.name": "web-prod", "env": "prod", "team_owner": "payments",
	}, first)
	second := logs.AllLogs()[1].ResourceLogs().At(0).Resource().Attributes().AsRaw()
	assert.Equal(t, "web-staging", second["service.name"])
	assert.Equal(t, "staging", second["env"])
	assert.NotContains(t, second, "team_owner")

	r.flush(t) // metrics are emitted at the aggregator's flush
	require.NotEmpty(t, metrics.AllMetrics())
	mres := metrics.AllMetrics()[0].ResourceMetrics().At(0).Resource().Attributes().AsRaw()
	assert.Equal(t, "prod", mres["env"])
	assert.Equal(t, "payments", mres["team_owner"])
	assert.NotContains(t, mres, "secret")
}
