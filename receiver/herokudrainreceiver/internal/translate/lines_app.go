package translate // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"

import "go.opentelemetry.io/collector/pdata/pcommon"

// putAppLine adds the dyno that wrote an app line, when the PROCID names
// one (web.1, run.2660); l2met measurements in the line become metrics.
func putAppLine(attrs pcommon.Map, s *lineStrings) {
	if looksLikeDyno(s.procID) {
		putDynoName(attrs, s.procID)
	}
}
