package translate // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"

import (
	"reflect"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/heroku"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/metadata"
)

// Add-on metrics are declared in metadata.yaml like every other metric, so
// mdatagen generates their documentation, their enabled/attributes config
// and a Record method each. heroku.AddonTable only says which logged key
// becomes which metric. addonRecorders connects the two by metric name,
// through metadata.MetricsInfo (field name = the Record method's infix);
// a test checks that every AddonTable metric has one.

// addonRecorder records one add-on sample: the attachment and add-on name,
// then the entry's extra attribute value when it has one.
type addonRecorder func(mb *metadata.MetricsBuilder, ts pcommon.Timestamp, v float64, attrs ...string)

var addonRecorders = newAddonRecorders()

func newAddonRecorders() map[string]addonRecorder {
	names := map[string]bool{}
	for i := range heroku.AddonTable {
		names[heroku.AddonTable[i].Name] = true
	}
	out := map[string]addonRecorder{}
	info := reflect.ValueOf(metadata.MetricsInfo)
	mbType := reflect.TypeFor[*metadata.MetricsBuilder]()
	for i := 0; i < info.NumField(); i++ {
		name := info.Field(i).FieldByName("Name").String()
		if !names[name] {
			continue
		}
		method, ok := mbType.MethodByName("Record" + info.Type().Field(i).Name + "DataPoint")
		if !ok {
			continue
		}
		// The method expression, typed once here, so that recording a
		// sample is a plain call rather than a reflect.Value.Call (which
		// boxes every argument).
		switch fn := method.Func.Interface().(type) {
		case func(*metadata.MetricsBuilder, pcommon.Timestamp, float64, string, string):
			out[name] = func(mb *metadata.MetricsBuilder, ts pcommon.Timestamp, v float64, attrs ...string) {
				if len(attrs) == 2 {
					fn(mb, ts, v, attrs[0], attrs[1])
				}
			}
		case func(*metadata.MetricsBuilder, pcommon.Timestamp, float64, string, string, string):
			out[name] = func(mb *metadata.MetricsBuilder, ts pcommon.Timestamp, v float64, attrs ...string) {
				if len(attrs) == 3 {
					fn(mb, ts, v, attrs[0], attrs[1], attrs[2])
				}
			}
		default:
			// Declaration and table disagree; TestAddonMetricsAreDeclared fails.
			out[name] = func(*metadata.MetricsBuilder, pcommon.Timestamp, float64, ...string) {}
		}
	}
	return out
}

// reportedTotals are the add-on metrics that are running totals kept by
// the add-on (a counter the source reports), not counts of this batch.
var reportedTotals = func() map[string]bool {
	out := map[string]bool{}
	for i := range heroku.AddonTable {
		if heroku.AddonTable[i].Kind == heroku.MetricCounter {
			out[heroku.AddonTable[i].Name] = true
		}
	}
	return out
}()
