package translate

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/heroku"
)

// runtimeValue is a logged value of a sample in unit.
func runtimeValue(unit string) string {
	switch unit {
	case "By":
		return "1.00MB"
	case "{page}":
		return "7pages"
	}
	return "0.5"
}

// The runtime metrics are declared once, in metadata.yaml; internal/heroku
// only knows each sample's key and the unit it normalises the value into.
// Each known sample, logged alone, becomes exactly one metric of its own,
// under the heroku.dyno. namespace and in the unit the parser normalised to.
func TestEachRuntimeSampleFeedsOneDeclaredMetricInItsUnit(t *testing.T) {
	seen := map[string]string{} // metric name -> sample key
	for m := heroku.RuntimeMetric(0); m < heroku.NumRuntimeMetrics; m++ {
		info := m.Info()
		t.Run(info.Key, func(t *testing.T) {
			line := "<45>1 2024-03-15T09:26:53.589793+00:00 host heroku web.1 - source=web.1 sample#" +
				info.Key + "=" + runtimeValue(info.Unit) + "\n"
			md := metricsOf(t, []string{line})
			// Besides the line count (heroku.log.records), the sample's metric.
			var dyno []pmetric.Metric
			ms := md.ResourceMetrics().At(0).ScopeMetrics().At(0).Metrics()
			for i := 0; i < ms.Len(); i++ {
				if strings.HasPrefix(ms.At(i).Name(), "heroku.dyno.") {
					dyno = append(dyno, ms.At(i))
				}
			}
			require.Len(t, dyno, 1, "one sample, one metric")
			got := dyno[0]
			assert.Equal(t, info.Unit, got.Unit(), "declared unit and parser unit agree")
			assert.NotEmpty(t, got.Description(), "declared in metadata.yaml")
			if prev, dup := seen[got.Name()]; dup {
				t.Errorf("%s and %s both feed %s", prev, info.Key, got.Name())
			}
			seen[got.Name()] = info.Key
		})
	}
}
