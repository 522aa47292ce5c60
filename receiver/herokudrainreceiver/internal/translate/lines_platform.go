package translate // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"

import (
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/heroku"
)

// eventLogplexError names the L-code events (L10, L12, L13, L14).
const eventLogplexError = "heroku.logplex.error"

// putLogplexError adds an L-code line of Logplex or log-shuttle
// (docs/heroku-formats.md, "Responses and retries"): lines lost on their way to the drain.
func putLogplexError(lr plog.LogRecord, s *lineStrings, e *heroku.LogplexError) {
	setEventName(lr, eventLogplexError)
	attrs := lr.Attributes()
	desc := e.Code.Name()
	if desc == "" {
		desc = s.str(e.Title)
	}
	putError(attrs, e.Code, desc)
	if e.HasCount {
		attrs.PutInt(AttrDropped, e.Count)
	}
	s.putStr(attrs, AttrDroppedSince, e.Since)
}

// putRuntime adds the dyno of a log-runtime-metrics line (docs/heroku-formats.md, "Log runtime metrics").
// The samples themselves become metrics, not attributes.
func putRuntime(attrs pcommon.Map, s *lineStrings, r *heroku.RuntimeSample) {
	if len(r.Source) > 0 {
		putDynoName(attrs, internDynoName(s, r.Source))
	} else {
		putDynoName(attrs, s.procID)
	}
	s.putStr(attrs, AttrDynoID, r.DynoID)
}

// putAddonMetrics adds which Postgres or Redis add-on a metric line is from
// (docs/heroku-formats.md, Postgres and Redis metrics); the samples become metrics.
func putAddonMetrics(attrs pcommon.Map, s *lineStrings, m *heroku.AddonMetrics) {
	s.putStr(attrs, AttrAddonAttach, m.Source)
	s.putStr(attrs, AttrAddonName, m.Addon)
}
