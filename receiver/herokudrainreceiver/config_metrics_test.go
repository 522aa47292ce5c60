package herokudrainreceiver

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/confmap"
)

func TestMetricAggregationConfig(t *testing.T) {
	tests := []struct {
		name    string
		conf    map[string]any
		check   func(t *testing.T, c *Config)
		wantErr string
	}{
		{
			name: "defaults are cumulative, 15s flushes, a day's memory and explicit measure buckets",
			conf: map[string]any{},
			check: func(t *testing.T, c *Config) {
				assert.Equal(t, TemporalityCumulative, c.AggregationTemporality)
				assert.Equal(t, 15*time.Second, c.FlushInterval)
				assert.Equal(t, 24*time.Hour, c.MetricsExpiration)
				assert.Equal(t, 100_000, c.MaxSeries)
				assert.Equal(t, int64(32<<20), c.MaxSeriesBytes)
				assert.Equal(t, HistogramExplicit, c.MeasureHistogram)
				assert.Empty(t, c.disabledHistograms())
			},
		},
		{
			name: "every key is read from the receiver's own level",
			conf: map[string]any{
				"aggregation_temporality": "delta", "flush_interval": "1m", "metrics_expiration": "2h", "max_series": 10, "max_series_bytes": 2 << 20,
				"measure_histogram": "exponential", "router_metrics_max_url_paths": 5,
				"histograms": map[string]any{"heroku.router.connect.duration": map[string]any{"enabled": false}},
				"metrics":    map[string]any{"heroku.log.records": map[string]any{"enabled": false}},
			},
			check: func(t *testing.T, c *Config) {
				assert.Equal(t, TemporalityDelta, c.AggregationTemporality)
				assert.Equal(t, time.Minute, c.FlushInterval)
				assert.Equal(t, 2*time.Hour, c.MetricsExpiration)
				assert.Equal(t, 10, c.MaxSeries)
				assert.Equal(t, int64(2<<20), c.MaxSeriesBytes)
				assert.Equal(t, HistogramExponential, c.MeasureHistogram)
				assert.Equal(t, 5, c.RouterMetricsMaxURLPaths)
				assert.Equal(t, map[string]bool{"heroku.router.connect.duration": true}, c.disabledHistograms())
				assert.False(t, c.Metrics.HerokuLogRecords.Enabled)
			},
		},
		{name: "an unknown temporality", conf: map[string]any{"aggregation_temporality": "cumulativ"},
			wantErr: `aggregation_temporality "cumulativ" is not one of cumulative, delta`},
		{name: "a flush interval too short", conf: map[string]any{"flush_interval": "10ms"},
			wantErr: "flush_interval 10ms is too short: use at least 100ms"},
		{name: "an expiry shorter than a flush", conf: map[string]any{"metrics_expiration": "5s"},
			wantErr: "metrics_expiration 5s must be at least flush_interval (15s)"},
		{name: "no series allowed", conf: map[string]any{"max_series": 0},
			wantErr: "max_series 0 must be positive"},
		{name: "a series budget below 1 MiB", conf: map[string]any{"max_series_bytes": 1000},
			wantErr: "max_series_bytes 1000 is too small: use at least 1048576"},
		{name: "an unknown histogram kind", conf: map[string]any{"measure_histogram": "native"},
			wantErr: `measure_histogram "native" is not one of explicit, exponential`},
		{name: "no url paths allowed", conf: map[string]any{"router_metrics_max_url_paths": -1},
			wantErr: "router_metrics_max_url_paths -1 must be positive"},
		{name: "a histogram that does not exist", conf: map[string]any{"histograms": map[string]any{"http.server.duration": map[string]any{"enabled": false}}},
			wantErr: `histograms: "http.server.duration" is not a histogram of this receiver; use one of heroku.router.connect.duration, http.server.request.duration, http.server.response.body.size`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := NewFactory().CreateDefaultConfig().(*Config)
			require.NoError(t, confmap.NewFromStringMap(tt.conf).Unmarshal(cfg))
			err := cfg.Validate()
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			tt.check(t, cfg)
		})
	}
}
