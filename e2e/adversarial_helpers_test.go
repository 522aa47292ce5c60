//go:build adversarial

package e2e

import (
	"errors"

	"go.opentelemetry.io/collector/pdata/plog"
)

type plogLogs = plog.Logs

func errorsAs(err error, target any) bool { return errors.As(err, target) }

// forEachBody calls fn with the body of every record in ld.
func forEachBody(ld plog.Logs, fn func(string)) {
	for i := 0; i < ld.ResourceLogs().Len(); i++ {
		sls := ld.ResourceLogs().At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			lrs := sls.At(j).LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				fn(lrs.At(k).Body().AsString())
			}
		}
	}
}
