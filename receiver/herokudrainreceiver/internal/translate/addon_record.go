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
		fn := method.Func
		out[name] = func(mb *metadata.MetricsBuilder, ts pcommon.Timestamp, v float64, attrs ...string) {
			args := make([]reflect.Value, 0, 3+len(attrs))
			args = append(args, reflect.ValueOf(mb), reflect.ValueOf(ts), reflect.ValueOf(v))
			for _, a := range attrs {
				args = append(args, reflect.ValueOf(a))
			}
			if len(args) != fn.Type().NumIn() {
				return // declaration and table disagree; TestAddonMetricsAreDeclared fails
			}
			fn.Call(args)
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
