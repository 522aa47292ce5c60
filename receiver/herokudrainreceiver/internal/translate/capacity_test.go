package translate

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/heroku"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/logplex"
)

// The capacity reserved up front must cover every attribute a record of
// that kind gets, or the slice grows again and the reservation was wasted.
func TestRecordAttrCapacityCoversEveryCommittedLine(t *testing.T) {
	kinds := map[heroku.LineKind]int{}
	for _, name := range []string{"sample", "router", "runtime", "bench/mixed-100k", "bench/runtime-100k"} {
		body, err := os.ReadFile(filepath.Join(drainsDir, name+".logplex"))
		if err != nil {
			t.Fatal(err)
		}
		sc := logplex.NewScanner(bytes.NewReader(body), logplex.Options{})
		for sc.Scan() {
			f := sc.Frame()
			var line heroku.Line
			heroku.Classify(f.AppName, f.ProcID, f.Message, &line)
			b := newTestBatch()
			b.Add(f)
			attrs := b.Logs().ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0).Attributes()
			if want := recordAttrCapacity(&line); attrs.Len() > want {
				t.Errorf("%s: %d attributes, %d reserved for kind %v: %s", name, attrs.Len(), want, line.Kind, f.Raw)
			}
			kinds[line.Kind]++
		}
	}
	for _, k := range []heroku.LineKind{heroku.KindRouter, heroku.KindRuntimeMetrics, heroku.KindDynoEvent, heroku.KindAPIEvent, heroku.KindAppLine} {
		if kinds[k] == 0 {
			t.Errorf("no committed line of kind %v was checked", k)
		}
	}
}

func TestRecordAttrCapacityWithoutALineIsTheHeader(t *testing.T) {
	if got := recordAttrCapacity(nil); got != headerAttrs {
		t.Errorf("recordAttrCapacity(nil) = %d, want %d", got, headerAttrs)
	}
}
