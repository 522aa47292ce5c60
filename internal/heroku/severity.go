package heroku

// Severity is a log level derived from what a line says. Heroku's PRI is not
// used: router errors arrive as local3.info and routine dyno events as emerg
// (reference §1.4), so only the content is trustworthy.
type Severity uint8

// Severity levels, ordered from "don't know" to worst.
const (
	// SeverityUnset means the content carries no level; the receiver falls
	// back to PRI or INFO.
	SeverityUnset Severity = iota
	SeverityDebug
	SeverityInfo
	SeverityWarn
	SeverityError
	SeverityFatal
)

var severityNames = [...]string{"", "debug", "info", "warn", "error", "fatal"}

// String returns the lower-case level name, or "" for SeverityUnset.
func (s Severity) String() string {
	if int(s) < len(severityNames) {
		return severityNames[s]
	}
	return ""
}
