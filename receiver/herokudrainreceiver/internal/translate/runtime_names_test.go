package translate

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/heroku"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/metadata"
)

// The runtime-metric names live in metadata.yaml; internal/heroku's parser
// table names them too. This keeps the two from drifting apart.
func TestRuntimeTableNamesAreDeclaredInMetadata(t *testing.T) {
	declared := map[string]bool{}
	v := reflect.ValueOf(metadata.MetricsInfo)
	for i := 0; i < v.NumField(); i++ {
		declared[v.Field(i).FieldByName("Name").String()] = true
	}
	for m := heroku.RuntimeMetric(0); m < heroku.NumRuntimeMetrics; m++ {
		assert.True(t, declared[m.Info().Name], "%s is not declared in metadata.yaml", m.Info().Name)
	}
}
