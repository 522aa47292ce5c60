package translate // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"

import (
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/herokudrain/herokudrain/internal/heroku"
)

// putLine adds what the line means to its record: attributes per line kind,
// and a severity from the content, which beats PRI (Heroku sends router
// errors as info and routine platform events as emergency). The raw PRI
// severity stays in syslog.severity.
func (b *Batch) putLine(lr plog.LogRecord, l *heroku.Line) {
	lr.Attributes().PutStr(AttrComponent, l.Component.String())
	setSeverity(lr, l.Severity)
}

var severityOf = [...]struct {
	num  plog.SeverityNumber
	text string
}{
	heroku.SeverityDebug: {plog.SeverityNumberDebug, "debug"},
	heroku.SeverityInfo:  {plog.SeverityNumberInfo, "info"},
	heroku.SeverityWarn:  {plog.SeverityNumberWarn, "warn"},
	heroku.SeverityError: {plog.SeverityNumberError, "error"},
	heroku.SeverityFatal: {plog.SeverityNumberFatal, "fatal"},
}

// setSeverity overrides the PRI-derived severity when the content says one.
func setSeverity(lr plog.LogRecord, s heroku.Severity) {
	if s == heroku.SeverityUnset || int(s) >= len(severityOf) {
		return
	}
	lr.SetSeverityNumber(severityOf[s].num)
	lr.SetSeverityText(severityOf[s].text)
}
