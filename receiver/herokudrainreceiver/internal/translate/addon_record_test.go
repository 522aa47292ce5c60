package translate

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/heroku"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/metadata"
)

// Every add-on key Heroku logs becomes a metric declared in metadata.yaml
// (so documented and configurable), recorded through the generated builder
// with its unit and the entry's attributes.
func TestAddonMetricsAreDeclared(t *testing.T) {
	for i := range heroku.AddonTable {
		e := &heroku.AddonTable[i]
		t.Run(e.Service.String()+"/"+e.Key, func(t *testing.T) {
			rec, ok := addonRecorders[e.Name]
			require.True(t, ok, "%s is not declared in metadata.yaml", e.Name)
			mb := metadata.NewMetricsBuilder(metadata.DefaultMetricsBuilderConfig(), receivertest.NewNopSettings(metadata.Type))
			attrs := []string{"ATTACH", "addon-1"}
			if e.AttrKey != "" {
				attrs = append(attrs, e.AttrValue)
			}
			rec(mb, pcommon.Timestamp(1), 42, attrs...)
			md := mb.Emit()
			require.Equal(t, 1, md.DataPointCount(), "the declared attributes match the table's")
			m := md.ResourceMetrics().At(0).ScopeMetrics().At(0).Metrics().At(0)
			assert.Equal(t, e.Name, m.Name())
			assert.Equal(t, e.Unit, m.Unit(), "the table normalises values to the declared unit")
			assert.NotEmpty(t, m.Description())
		})
	}
}
