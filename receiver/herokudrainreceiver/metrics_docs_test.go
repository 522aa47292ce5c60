package herokudrainreceiver

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/golden"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/metadata"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"
)

const (
	metricsDoc     = "../../docs/metrics.md"
	histogramBegin = "<!-- BEGIN generated histograms -->\n"
	histogramEnd   = "<!-- END generated histograms -->"
)

// histogramTable renders the declared histograms as the table of
// docs/metrics.md.
func histogramTable() string {
	var b strings.Builder
	b.WriteString("| Name | Unit | Buckets (upper bounds) | Attributes | Description |\n|---|---|---|---|---|\n")
	for _, h := range translate.Histograms() {
		bounds := make([]string, len(h.Bounds))
		for i, v := range h.Bounds {
			bounds[i] = strconv.FormatFloat(v, 'f', -1, 64)
		}
		fmt.Fprintf(&b, "| `%s` | `%s` | %s | `%s` | %s |\n", h.Name, h.Unit, strings.Join(bounds, ", "),
			strings.Join(h.Attributes, "`, `"), h.Description)
	}
	return b.String()
}

// The histogram section of docs/metrics.md is generated from the Go
// declaration; -update rewrites it.
func TestDocsListTheDeclaredHistograms(t *testing.T) {
	raw, err := os.ReadFile(metricsDoc)
	require.NoError(t, err)
	doc := string(raw)
	begin, end := strings.Index(doc, histogramBegin), strings.Index(doc, histogramEnd)
	require.True(t, begin >= 0 && end > begin, "docs/metrics.md lost its generated-section markers")
	want := doc[:begin+len(histogramBegin)] + histogramTable() + doc[end:]
	if updateGolden() {
		require.NoError(t, os.WriteFile(metricsDoc, []byte(want), 0o600))
		doc = want
	}
	// Not assert.Equal: its diff of a whole page would bury the message.
	assert.True(t, want == doc, "the histogram table in docs/metrics.md is stale; run go test -run Docs -update")
}

// Every metric the receiver emits for the sample drain is declared once:
// in metadata.yaml (and so in the generated documentation.md) or in the
// histogram table, with the declared type and unit; the rest are app
// metrics named by the data.
func TestEmittedMetricsAreDeclared(t *testing.T) {
	md, err := golden.ReadMetrics(filepath.Join("testdata", "metrics", "sample.yaml"))
	require.NoError(t, err)
	docs, err := os.ReadFile("documentation.md")
	require.NoError(t, err)

	declared := map[string]bool{}
	info := reflect.ValueOf(metadata.MetricsInfo)
	for i := 0; i < info.NumField(); i++ {
		name := info.Field(i).FieldByName("Name").String()
		declared[name] = true
		assert.Contains(t, string(docs), "\n### "+name+"\n", "documentation.md lacks %s", name)
	}
	histograms := map[string]translate.HistogramInfo{}
	for _, h := range translate.Histograms() {
		histograms[h.Name] = h
	}
	appMetrics := map[string]bool{"db.query": true, "jobs.latency": true, "queue.depth": true, "orders.created": true, "jobs.processed": true}

	seen := map[string]bool{}
	for _, rm := range md.ResourceMetrics().All() {
		for _, m := range rm.ScopeMetrics().At(0).Metrics().All() {
			seen[m.Name()] = true
			switch {
			case declared[m.Name()]:
				assert.NotEqual(t, pmetric.MetricTypeHistogram, m.Type(), m.Name())
				assert.NotEmpty(t, m.Description(), m.Name())
			case histograms[m.Name()].Name != "":
				assert.Equal(t, pmetric.MetricTypeHistogram, m.Type(), m.Name())
				assert.Equal(t, histograms[m.Name()].Unit, m.Unit(), m.Name())
				assert.Equal(t, histograms[m.Name()].Description, m.Description(), m.Name())
			default:
				assert.True(t, appMetrics[m.Name()], "%s is emitted but declared nowhere", m.Name())
			}
		}
	}
	for name := range histograms {
		assert.True(t, seen[name], "the sample drain exercises %s", name)
	}
	for _, name := range []string{"heroku.router.requests", "heroku.log.records", "heroku.errors", "heroku.dyno.memory.rss", "heroku.postgres.db.size"} {
		assert.True(t, seen[name], "the sample drain exercises %s", name)
	}
}
