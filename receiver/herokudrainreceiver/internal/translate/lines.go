package translate // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"

import (
	"unicode/utf8"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/heroku"
)

// putLine adds what the line means to its record: attributes per line kind,
// and a severity from the content, which beats PRI (Heroku sends router
// errors as info and routine platform events as emergency). The raw PRI
// severity stays in syslog.severity. docs/log-attributes.md lists every
// attribute per kind.
//
// putLine runs after putHeader, so the record already holds syslog.procid;
// the dyno name of dyno events and app lines is taken from there rather
// than converted again.
func (b *Batch) putLine(lr plog.LogRecord, l *heroku.Line) {
	attrs := lr.Attributes()
	s := newLineStrings(lr, l)
	attrs.PutStr(AttrComponent, l.Component.String())
	setSeverity(lr, l.Severity)
	switch l.Kind {
	case heroku.KindRouter:
		putRouter(attrs, &s, &l.Router)
	case heroku.KindDynoEvent:
		putDynoEvent(lr, &s, &l.Dyno)
	case heroku.KindAPIEvent:
		putAPIEvent(lr, &s, &l.API)
	case heroku.KindLogplexError:
		putLogplexError(lr, &s, &l.Logplex)
	case heroku.KindRuntimeMetrics:
		putRuntime(attrs, &s, &l.Runtime)
	case heroku.KindAddonMetrics:
		putAddonMetrics(attrs, &s, &l.Addon)
	case heroku.KindAppLine:
		putAppLine(attrs, &s)
	}
	if s.invalid {
		attrs.PutBool(AttrInvalidUTF8, true)
	}
}

// putError adds the code attributes of a line with a Heroku error code:
// heroku.error.code and error.type (the code, e.g. "H12") and
// heroku.error.description (desc, or Heroku's name for the code when desc
// is empty). Nothing is added for the zero code.
func putError(attrs pcommon.Map, code heroku.ErrorCode, desc string) {
	if code == 0 {
		return
	}
	c := code.String()
	attrs.PutStr(AttrErrorCode, c)
	attrs.PutStr(attrErrorType, c)
	if desc == "" {
		desc = code.Name()
	}
	if desc != "" {
		attrs.PutStr(AttrErrorDescription, desc)
	}
}

// setEventName sets the record's EventName field. The semantic conventions
// deprecated the event.name attribute in its favour, so the name is not
// repeated as an attribute. name is a constant.
func setEventName(lr plog.LogRecord, name string) {
	lr.SetEventName(name)
}

// lineStrings turns the line's byte fields into attribute strings. Every
// field Classify returns is a subslice of the message, and the record's
// body already holds that message as a string (setBody), so a field
// becomes a substring of the body: no copy, no allocation. Fields that do
// not alias the message (or a body that is not a string, for invalid
// UTF-8) fall back to a conversion.
type lineStrings struct {
	msg    []byte
	body   string
	procID string // the record's syslog.procid, "" if none
	// invalid is set when a field was not valid UTF-8 (and was replaced).
	invalid bool
}

func newLineStrings(lr plog.LogRecord, l *heroku.Line) lineStrings {
	s := lineStrings{msg: l.Msg}
	if body := lr.Body(); body.Type() == pcommon.ValueTypeStr {
		if str := body.Str(); len(str) == len(l.Msg) {
			s.body = str
		}
	}
	if v, ok := lr.Attributes().Get(AttrSyslogProcID); ok && v.Type() == pcommon.ValueTypeStr {
		s.procID = v.Str()
	}
	return s
}

// str returns b as a string, sharing the body's memory when b lies within
// the message.
func (s *lineStrings) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if s.body != "" && len(s.msg) > 0 {
		// A two-index subslice of msg keeps msg's end as its capacity end,
		// so cap tells its offset; the pointer comparison confirms it (a
		// foreign or three-index slice falls back to a copy).
		off := cap(s.msg) - cap(b)
		// The body is valid UTF-8, so a substring of it is too when it
		// starts and ends on character boundaries.
		end := off + len(b)
		if off >= 0 && off <= len(s.msg)-len(b) && &s.msg[off] == &b[0] &&
			utf8.RuneStart(s.body[off]) && (end == len(s.body) || utf8.RuneStart(s.body[end])) {
			return s.body[off:end]
		}
	}
	str, ok := wireStringOK(b)
	s.invalid = s.invalid || !ok
	return str
}

// putStr adds a string attribute when b is not empty.
func (s *lineStrings) putStr(attrs pcommon.Map, key string, b []byte) {
	if len(b) > 0 {
		attrs.PutStr(key, s.str(b))
	}
}

// internTable builds a lookup for internIn.
func internTable(words ...string) map[string]string {
	m := make(map[string]string, len(words))
	for _, w := range words {
		m[w] = w
	}
	return m
}

// internIn returns the table's copy of b when it has one (a map lookup with
// string(b) does not allocate), and s.str(b) otherwise.
func (s *lineStrings) internIn(table map[string]string, b []byte) string {
	if w, ok := table[string(b)]; ok {
		return w
	}
	return s.str(b)
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
