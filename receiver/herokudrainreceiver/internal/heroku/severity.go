package heroku

import "bytes"

// Severity is a log level derived from what a line says. Heroku's PRI is not
// used: router errors arrive as local3.info and routine dyno events as emerg
// (docs/heroku-formats.md, "Severity"), so only the content is trustworthy.
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

// Severity of a dyno-manager event:
//   - Error Rxx: the code's default (R14 warn: the dyno only swaps; others error).
//   - → crashed: error.
//   - Process exited with a non-zero status: warn, except 143 (= SIGTERM),
//     which is how every dyno answers Heroku's own restarts and daily
//     cycling; flagging it would turn routine restarts into warnings.
//   - Stopping with SIGKILL: warn (it follows R10/R12/R15).
//   - Process running mem= above 100% of quota: warn (R14 follows).
//   - everything else: info.
func (ev *DynoEvent) Severity() Severity {
	switch ev.Kind {
	case DynoUnknown:
		return SeverityUnset
	case DynoError:
		return ev.Code.Severity()
	case DynoStateChanged:
		if string(ev.To) == "crashed" {
			return SeverityError
		}
	case DynoExited:
		if ev.HasExitStatus && ev.ExitStatus != 0 && ev.ExitStatus != 143 {
			return SeverityWarn
		}
	case DynoStopping:
		if string(ev.Signal) == "SIGKILL" {
			return SeverityWarn
		}
	case DynoMemory:
		if ev.MemoryPercent > 100 {
			return SeverityWarn
		}
	}
	return SeverityInfo
}

// Severity of an API event: a failed build is an error, every other event
// is a routine change (info). Unrecognised text is Unset.
func (ev *APIEvent) Severity() Severity {
	switch ev.Kind {
	case APIUnknown:
		return SeverityUnset
	case APIBuildFailed:
		return SeverityError
	}
	return SeverityInfo
}

// Severity of a router line:
//   - at=error → error, at=warning → warn (H27/H28).
//   - at=info with a code (H80–H83: maintenance, blank app, quota, planned
//     degradation) → warn: the router refused the request, which is worth
//     seeing even though Heroku logs it as info (Sumo counts these as errors).
//   - at=info without a code → info, whatever the status. A 5xx from the app
//     is the app's answer, already visible in Status; the router line is not
//     where the app's error is logged.
//   - no at= (legacy lines): the code's default, else info.
func (r *Router) Severity() Severity {
	switch string(r.At) {
	case "error":
		return SeverityError
	case "warning", "warn":
		return SeverityWarn
	case "info":
		if r.Code != 0 {
			return SeverityWarn
		}
		return SeverityInfo
	}
	if r.Code != 0 {
		return r.Code.Severity()
	}
	return SeverityInfo
}

// AppLineSeverity looks for a level that the app itself wrote, so that
// "ERROR" output is not reported as INFO just because log-shuttle sends
// everything with PRI 190. It recognises, in this order:
//
//	E, [2024-… #12] ERROR -- : …        Ruby Logger (first letter)
//	{"level":"error",…} / "level":50    JSON loggers (pino/bunyan numbers too)
//	… level=error …  severity=warn  lvl=  logfmt keys anywhere in the line
//	[ERROR] …, [2024-…] [4] [INFO] …     a level in one of the first bracket groups
//	ERROR: …, Error …, warn …            the first word, in any case
//	2024-03-15 12:10:39,123 ERROR …      an upper-case level among the next words
//
// and returns SeverityUnset when none is found, so the caller can fall
// back to PRI. Lower-case level words after the first are ignored because
// free text ("user error") would make too many false alarms.
func AppLineSeverity(msg []byte) Severity {
	msg = bytes.Trim(msg, " \t\r\n")
	if len(msg) == 0 {
		return SeverityUnset
	}
	if len(msg) >= 4 && msg[1] == ',' && msg[2] == ' ' && msg[3] == '[' {
		switch msg[0] {
		case 'D':
			return SeverityDebug
		case 'I':
			return SeverityInfo
		case 'W':
			return SeverityWarn
		case 'E':
			return SeverityError
		case 'F':
			return SeverityFatal
		}
	}
	if msg[0] == '{' {
		if s := jsonLevel(msg); s != SeverityUnset {
			return s
		}
	}
	if s := logfmtLevel(msg); s != SeverityUnset {
		return s
	}
	rest := msg
	for i := 0; i < 4 && len(rest) > 0 && rest[0] == '['; i++ {
		end := bytes.IndexByte(rest, ']')
		if end < 0 {
			break
		}
		if s := levelWord(bytes.Trim(rest[1:end], " \t\r\n")); s != SeverityUnset {
			return s
		}
		rest = bytes.Trim(rest[end+1:], " \t\r\n")
	}
	for i := 0; i < 4 && len(rest) > 0; i++ {
		word := rest
		for j, c := range rest {
			if !isLetter(c) {
				word = rest[:j]
				break
			}
		}
		if len(word) > 0 && (i == 0 || isUpper(word)) {
			if s := levelWord(word); s != SeverityUnset {
				return s
			}
		}
		sp := bytes.IndexByte(rest, ' ')
		if sp < 0 {
			break
		}
		rest = bytes.Trim(rest[sp+1:], " \t\r\n")
	}
	return SeverityUnset
}

// PostgresLogSeverity reads the level of a Postgres server log line
// (`app postgres.N`): "[DATABASE] [9-1]  sql_error_code = 00000 LOG:  …".
// LOG, NOTICE and INFO are info; continuation lines (DETAIL, STATEMENT, a
// bare "[9-2] …") carry no level and return SeverityUnset.
func PostgresLogSeverity(msg []byte) Severity {
	rest := bytes.Trim(msg, " \t\r\n")
	for len(rest) > 0 && rest[0] == '[' {
		end := bytes.IndexByte(rest, ']')
		if end < 0 {
			return SeverityUnset
		}
		rest = bytes.Trim(rest[end+1:], " \t\r\n")
	}
	if bytes.HasPrefix(rest, []byte("sql_error_code = ")) {
		rest = rest[len("sql_error_code = "):]
		rest = bytes.Trim(rest[len(firstWord(rest)):], " \t\r\n")
	}
	end := bytes.IndexByte(rest, ':')
	if end <= 0 {
		return SeverityUnset
	}
	switch string(rest[:end]) {
	case "DEBUG", "DEBUG1", "DEBUG2", "DEBUG3", "DEBUG4", "DEBUG5":
		return SeverityDebug
	case "LOG", "INFO", "NOTICE":
		return SeverityInfo
	case "WARNING":
		return SeverityWarn
	case "ERROR":
		return SeverityError
	case "FATAL", "PANIC":
		return SeverityFatal
	}
	return SeverityUnset
}

// levelWord maps a level name, in any case, to a Severity.
func levelWord(w []byte) Severity {
	if len(w) < 3 || len(w) > 13 {
		return SeverityUnset
	}
	var buf [13]byte
	for i, c := range w {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	switch string(buf[:len(w)]) {
	case "debug", "trace", "dbug", "verbose":
		return SeverityDebug
	case "info", "notice", "informational":
		return SeverityInfo
	case "warn", "warning":
		return SeverityWarn
	case "error", "err", "eror":
		return SeverityError
	case "fatal", "critical", "crit", "panic", "emerg", "emergency", "alert":
		return SeverityFatal
	}
	return SeverityUnset
}

// logfmtLevel finds level=, severity= or lvl= (any case, value optionally
// quoted) as a key that starts the line or follows a space.
func logfmtLevel(msg []byte) Severity {
	for i := 0; i < len(msg); i++ {
		if msg[i] != '=' {
			continue
		}
		if !endsWithKey(msg[:i], "level") && !endsWithKey(msg[:i], "severity") && !endsWithKey(msg[:i], "lvl") {
			continue
		}
		val := msg[i+1:]
		if len(val) > 0 && val[0] == '"' {
			val = val[1:]
		}
		end := 0
		for end < len(val) && isLetter(val[end]) {
			end++
		}
		if s := levelWord(val[:end]); s != SeverityUnset {
			return s
		}
	}
	return SeverityUnset
}

// endsWithKey reports whether b ends with key (any case) at a word start.
// Looking back a fixed distance keeps the scan linear on lines full of '='.
func endsWithKey(b []byte, key string) bool {
	k := len(b) - len(key)
	return k >= 0 && (k == 0 || b[k-1] == ' ') && bytes.EqualFold(b[k:], []byte(key))
}

// jsonLevel finds "level", "severity" or "lvl" keys in a JSON object line.
// Numeric levels follow pino/bunyan: 10 trace … 60 fatal.
func jsonLevel(msg []byte) Severity {
	for _, key := range [...]string{`"level"`, `"severity"`, `"lvl"`} {
		i := bytes.Index(msg, []byte(key))
		if i < 0 {
			continue
		}
		val := bytes.Trim(msg[i+len(key):], " \t\r\n")
		if len(val) == 0 || val[0] != ':' {
			continue
		}
		val = bytes.Trim(val[1:], " \t\r\n")
		if len(val) > 0 && val[0] == '"' {
			end := bytes.IndexByte(val[1:], '"')
			if end < 0 {
				continue
			}
			return levelWord(val[1 : 1+end])
		}
		if n, _, ok := leadingUint(val); ok {
			switch {
			case n >= 60:
				return SeverityFatal
			case n >= 50:
				return SeverityError
			case n >= 40:
				return SeverityWarn
			case n >= 30:
				return SeverityInfo
			case n >= 10:
				return SeverityDebug
			}
		}
	}
	return SeverityUnset
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isUpper(w []byte) bool {
	for _, c := range w {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}
