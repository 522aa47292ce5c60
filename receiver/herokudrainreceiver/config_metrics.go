package herokudrainreceiver // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver"

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"
)

// Metric aggregation settings (docs/metrics.md explains the model).
const (
	// TemporalityCumulative emits running totals since each series started:
	// what Prometheus reads directly.
	TemporalityCumulative = "cumulative"
	// TemporalityDelta emits what was counted since the previous flush.
	TemporalityDelta = "delta"

	// HistogramExplicit gives app measure# metrics explicit buckets, which
	// every backend stores (Prometheus classic histograms).
	HistogramExplicit = "explicit"
	// HistogramExponential gives them exponential (native) histograms.
	HistogramExponential = "exponential"

	defaultFlushInterval     = 15 * time.Second
	minFlushInterval         = 100 * time.Millisecond
	defaultMetricsExpiration = 24 * time.Hour
	defaultMaxSeries         = 100_000
	// defaultMaxSeriesBytes bounds the series state: ~100,000 router
	// counter series of one app, or ~20,000 apps with one series each
	// (docs/metrics.md gives the bytes per series).
	defaultMaxSeriesBytes = 32 << 20
	minMaxSeriesBytes     = 1 << 20
	defaultMaxURLPaths    = 1_000
)

// MetricsAggregationConfig says how the metrics measured from lines are
// aggregated across requests and when they are emitted.
type MetricsAggregationConfig struct {
	// AggregationTemporality of counters and histograms: cumulative
	// (default) or delta.
	AggregationTemporality string `mapstructure:"aggregation_temporality"`
	// FlushInterval is how often every live series is emitted.
	FlushInterval time.Duration `mapstructure:"flush_interval"`
	// MetricsExpiration forgets a series that saw no new event for this
	// long; until then counters and histograms are emitted at every flush.
	MetricsExpiration time.Duration `mapstructure:"metrics_expiration"`
	// MaxSeries caps the series held in memory; points of new series past
	// it are dropped and counted.
	MaxSeries int `mapstructure:"max_series"`
	// MaxSeriesBytes caps the estimated memory of the series state the
	// same way (series, their metrics and resources).
	MaxSeriesBytes int64 `mapstructure:"max_series_bytes"`
	// MeasureHistogram is the histogram kind of app measure# metrics:
	// explicit (default) or exponential.
	MeasureHistogram string `mapstructure:"measure_histogram"`
	// RouterMetricsMaxURLPaths caps the distinct url.path values when
	// router_metrics_url_path is on; further paths become "_OTHER".
	RouterMetricsMaxURLPaths int `mapstructure:"router_metrics_max_url_paths"`
	// Histograms turns the router histograms on or off by name; they are
	// declared in internal/translate (mdatagen's metrics key cannot hold
	// them), all enabled by default.
	Histograms map[string]HistogramConfig `mapstructure:"histograms"`
}

// HistogramConfig configures one declared histogram.
type HistogramConfig struct {
	Enabled bool `mapstructure:"enabled"`
}

// disabledHistograms lists the histograms the config turns off.
func (c *MetricsAggregationConfig) disabledHistograms() map[string]bool {
	out := map[string]bool{}
	for name, h := range c.Histograms {
		if !h.Enabled {
			out[name] = true
		}
	}
	return out
}

func defaultMetricsAggregation() MetricsAggregationConfig {
	return MetricsAggregationConfig{
		AggregationTemporality:   TemporalityCumulative,
		FlushInterval:            defaultFlushInterval,
		MetricsExpiration:        defaultMetricsExpiration,
		MaxSeries:                defaultMaxSeries,
		MaxSeriesBytes:           defaultMaxSeriesBytes,
		MeasureHistogram:         HistogramExplicit,
		RouterMetricsMaxURLPaths: defaultMaxURLPaths,
	}
}

func (c *MetricsAggregationConfig) validate() error {
	var errs []error
	switch c.AggregationTemporality {
	case TemporalityCumulative, TemporalityDelta:
	default:
		errs = append(errs, fmt.Errorf("aggregation_temporality %q is not one of cumulative, delta (cumulative suits Prometheus; delta suits delta-native backends)", c.AggregationTemporality))
	}
	if c.FlushInterval < minFlushInterval {
		errs = append(errs, fmt.Errorf("flush_interval %s is too short: use at least %s (default %s)", c.FlushInterval, minFlushInterval, defaultFlushInterval))
	}
	if c.MetricsExpiration < c.FlushInterval {
		errs = append(errs, fmt.Errorf("metrics_expiration %s must be at least flush_interval (%s); make it longer than your dashboards' ranges (default %s)",
			c.MetricsExpiration, c.FlushInterval, defaultMetricsExpiration))
	}
	if c.MaxSeries <= 0 {
		errs = append(errs, fmt.Errorf("max_series %d must be positive (default %d)", c.MaxSeries, defaultMaxSeries))
	}
	if c.MaxSeriesBytes < minMaxSeriesBytes {
		errs = append(errs, fmt.Errorf("max_series_bytes %d is too small: use at least %d (1 MiB; default %d, 32 MiB)", c.MaxSeriesBytes, minMaxSeriesBytes, defaultMaxSeriesBytes))
	}
	switch c.MeasureHistogram {
	case HistogramExplicit, HistogramExponential:
	default:
		errs = append(errs, fmt.Errorf("measure_histogram %q is not one of explicit, exponential (Prometheus stores exponential histograms only with native histograms enabled)", c.MeasureHistogram))
	}
	declared := map[string]bool{}
	var names []string
	for _, h := range translate.Histograms() {
		declared[h.Name] = true
		names = append(names, h.Name)
	}
	for _, name := range slices.Sorted(maps.Keys(c.Histograms)) {
		if !declared[name] {
			errs = append(errs, fmt.Errorf("histograms: %q is not a histogram of this receiver; use one of %s", name, strings.Join(names, ", ")))
		}
	}
	if c.RouterMetricsMaxURLPaths <= 0 {
		errs = append(errs, fmt.Errorf("router_metrics_max_url_paths %d must be positive (default %d)", c.RouterMetricsMaxURLPaths, defaultMaxURLPaths))
	}
	return errors.Join(errs...)
}
