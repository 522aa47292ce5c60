package translate // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"

import (
	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/logplex"
)

// putStructuredData stores RFC 5424 SD as a map of SD-ID to a map of
// param name to value: syslog.structured_data = {"origin": {"ip": "1.2.3.4"}}.
// Repeated params keep the last value. It reports whether every name and
// value was valid UTF-8 (invalid bytes are replaced).
func putStructuredData(attrs pcommon.Map, f *logplex.Frame) bool {
	valid := true
	str := func(b []byte) string {
		s, ok := wireStringOK(b)
		valid = valid && ok
		return s
	}
	sd := attrs.PutEmptyMap(AttrSyslogStructuredData)
	it := f.SDElements()
	var buf []byte
	for it.NextElement() {
		params := sd.PutEmptyMap(str(it.ID()))
		for it.NextParam() {
			v := it.Value()
			if it.NeedsUnescape() {
				buf = logplex.AppendUnescaped(buf[:0], v)
				v = buf
			}
			params.PutStr(str(it.Name()), str(v))
		}
	}
	return valid
}
